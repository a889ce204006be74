// maxstate export: state, source or term heatmaps of a traced layer as images (PNG, SVG, PDF) or as the exact
// data shown (CSV, .npy). Runs with no display at all: Qt draws on its offscreen platform.
// Runs in libmaxstate-run.so (cli/run_module_abi.h); its help is in the executable (cmd_export_usage.cpp).
#include <QApplication>

#include <filesystem>
#include <iostream>

#include "cli/args.h"
#include "cli/index_option.h"
#include "cli/run_request.h"
#include "maxstate/error.h"
#include "ui/export/heatmap_data.h"
#include "ui/export/heatmap_export.h"

namespace maxstate::cli {
namespace {

QSize parseSize(const std::string& text) {
  const auto x = text.find('x');
  try {
    if (x != std::string::npos) {
      size_t a = 0, b = 0;
      const int w = std::stoi(text.substr(0, x), &a), h = std::stoi(text.substr(x + 1), &b);
      if (a == x && b == text.size() - x - 1) return {w, h};
    }
  } catch (const std::exception&) {
  }
  throw Error(ErrorKind::Usage, "--size expects WIDTHxHEIGHT in pixels, e.g. 1600x900; got '" + text + "'");
}

}  // namespace

int runExport(const std::vector<std::string>& argv) {
  const Args args(
      argv, runOptions({"layer", "head", "what", "format", "out", "size", "scale", "range", "colormap"}), {});
  for (const char* required : {"layer", "what", "format", "out"})
    if (!args.value(required) || args.value(required)->empty())
      throw Error(ErrorKind::Usage, std::string("--") + required + " is required");
  const ui::ExportFormat format = ui::parseExportFormat(*args.value("format"));
  const QSize size = args.value("size") ? parseSize(*args.value("size")) : QSize();
  double scale = 1.0;
  if (auto s = args.value("scale")) {
    try {
      scale = std::stod(*s);
    } catch (const std::exception&) {
      throw Error(ErrorKind::Usage, "--scale expects a number, got '" + *s + "'");
    }
  }
  if (!ui::isImageFormat(format) && (args.has("size") || args.has("scale") || args.has("colormap")))
    throw Error(ErrorKind::Usage, "--size, --scale and --colormap apply to png, svg and pdf only");
  const ui::HeatmapColours colours = ui::parseHeatmapColours(args.value("colormap").value_or("diverging"));

  std::vector<int> layers, heads;
  ui::HeatmapQuantity what;
  const TracedRun run = runFromArguments(args, [&](const ModelInfo& info) {
    layers = parseAllOrIndex("layer", *args.value("layer"), static_cast<int>(info.layers), "layer");
    heads = parseAllOrIndex("head", args.value("head").value_or("all"), static_cast<int>(info.heads), "head");
    what = ui::parseQuantity(*args.value("what"), info.variant);
  });
  const auto [begin, end] = ui::parseRange(args.value("range").value_or(":"), run.trace->length());

  const std::string out = *args.value("out");
  const bool many = layers.size() * heads.size() > 1;
  if (many || std::filesystem::is_directory(out)) {
    std::error_code ec;
    std::filesystem::create_directories(out, ec);
    if (ec) throw Error(ErrorKind::BadFile, "cannot create the folder " + out + ": " + ec.message());
  }
  if (ui::isImageFormat(format) && !QApplication::instance()) {
    qputenv("QT_QPA_PLATFORM", "offscreen");  // never touch a display, even when one exists
    // Qt's notes about the platform (e.g. "XDG_RUNTIME_DIR not set") are not the user's business here: the
    // command's own errors say what went wrong, on one line.
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& message) {
      if (type == QtCriticalMsg || type == QtFatalMsg)
        std::cerr << "maxstate export: " << message.toStdString() << "\n";
    });
  }
  static int qtArgc = 1;
  static char qtName[] = "maxstate";
  static char* qtArgv[] = {qtName, nullptr};
  std::unique_ptr<QApplication> app;
  if (ui::isImageFormat(format) && !QApplication::instance())
    app = std::make_unique<QApplication>(qtArgc, qtArgv);

  const std::string model = std::filesystem::path(run.path).stem().string();
  int written = 0;
  for (int layer : layers) {
    const std::shared_ptr<const LayerRecord> record = run.trace->layer(layer);
    for (int head : heads) {
      const ui::HeatmapData data = ui::extractHeatmap(*record, head, what, begin, end, run.labels,
                                                      model + " · layer " + std::to_string(layer) + " · ");
      std::string path = out;
      if (many || std::filesystem::is_directory(out)) {
        path = (std::filesystem::path(out) / ui::heatmapFileName(layer, head, what.name, format)).string();
      }
      ui::writeHeatmap(data, format, path, size, scale, colours);
      ++written;
    }
  }
  std::cout << "exported " << written << " " << what.name << " heatmap(s) of positions " << begin << ":"
            << end << " as " << ui::extensionOf(format) << " to " << out << "\n";
  return 0;
}

}  // namespace maxstate::cli
