#pragma once
// The explorer's command line, parsed with QCommandLineParser (as Tiled's tools do). The options are those
// `--help` (help_text.h) documents; Qt's own (-platform, -style, ...) are taken out by QApplication first.
#include <QCommandLineParser>
#include <QStringList>
#include <optional>

#include "ui/session/session.h"

namespace maxstate::gui {

struct Arguments {
  bool help = false;
  bool version = false;
  bool startupBenchmark = false;
  std::optional<ui::SessionInput> input;  // --text or --ids
  QStringList files;
  QString error;  // a usage error: what is wrong (exit status 2)
};

// `arguments` includes the program name first, as QCoreApplication::arguments() gives it. With
// `helpAndVersionOnly` (before Qt has taken its own options out) only --help and --version are looked for.
inline Arguments parseArguments(const QStringList& arguments, bool helpAndVersionOnly = false) {
  QCommandLineParser parser;
  // Our own help text (help_text.h) documents Qt's options and the environment too: the parser only finds the
  // options, it does not print.
  const QCommandLineOption help({"h", "help"}, "Show the help and exit.");
  const QCommandLineOption version({"V", "version"}, "Print the version and exit.");
  const QCommandLineOption text("text", "Start on this text.", "STR");
  const QCommandLineOption ids("ids", "Start on these token ids.", "LIST");
  const QCommandLineOption benchmark("startup-benchmark", "Print the time to the first trace shown.");
  parser.addOptions({help, version, text, ids, benchmark});
  // "-h" and "-V" as before, and a Qt option still present ("-platformtheme") never reads as "-p -l ... -h".
  parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
  parser.addPositionalArgument("CHECKPOINT", "Checkpoints to open.", "[CHECKPOINT...]");
  Arguments out;
  const bool parsed = parser.parse(arguments);
  out.help = parser.isSet(help);
  out.version = parser.isSet(version);
  if (helpAndVersionOnly || out.help || out.version) return out;
  if (!parsed) {
    out.error = parser.errorText();  // "Unknown option 'x'." -- main adds " (see --help)"
    if (out.error.endsWith(QLatin1Char('.'))) out.error.chop(1);
    return out;
  }
  out.startupBenchmark = parser.isSet(benchmark);
  // The last of --text / --ids given wins.
  for (const QString& name : parser.optionNames()) {
    if (name != QLatin1String("text") && name != QLatin1String("ids")) continue;
    out.input = ui::SessionInput{};
    out.input->kind = name == QLatin1String("ids") ? maxstate::InputKind::Ids : maxstate::InputKind::Text;
    out.input->text = parser.values(name).constLast();
  }
  out.files = parser.positionalArguments();
  return out;
}

}  // namespace maxstate::gui
