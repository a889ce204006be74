// maxstate export: state, source or term heatmaps of a traced layer as images (PNG, SVG, PDF) or as the exact
// data shown (CSV, .npy). Runs with no display at all: Qt draws on its offscreen platform.
#include <QApplication>

#include <filesystem>
#include <iostream>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/run_request.h"
#include "maxstate/error.h"
#include "ui/export/heatmap_data.h"
#include "ui/export/heatmap_export.h"

namespace maxstate::cli {
namespace {

const char* kUsage =
    "Usage: maxstate export [PATH] (--ids 1,2,3 | --ids-file ids.npy | --text STR | --input x.npy)\n"
    "                       [--vocab FILE] [--heads N] [--mode parallel|step]\n"
    "                       --layer L|all [--head h|all] --what state|source|terms|T1..T6\n"
    "                       --format png|svg|pdf|csv|npy --out FILE_OR_DIR [--size WxH] [--scale K] [--range "
    "A:B]\n"
    "                       [--colormap diverging|viridis]\n"
    "\n"
    "Traces the input like 'maxstate trace' and exports one heatmap per layer and head: channels down,\n"
    "positions across, with a title (model, layer, head, what), axis labels, the colour scale, and token "
    "labels on\n"
    "the position axis when there are few enough to read. Needs no display (no X server, no xvfb).\n"
    "\n"
    "  PATH, --ids, --ids-file, --text, --input, --vocab, --heads, --mode   as for 'maxstate trace'\n"
    "  --layer L|all    the layer to export, or all layers\n"
    "  --head h|all     one head, or every head (default all)\n"
    "  --what W         state (the running maximum), source (the position whose value each state cell "
    "holds),\n"
    "                   terms (every term, one panel each), or one term T1..T5 (seed) / T1..T6 (openash)\n"
    "  --format F       png, svg, pdf (images; axes, labels and colour scale as vectors in svg/pdf), or\n"
    "                   csv / npy (exactly the values shown: [channels, positions], [T, channels, "
    "positions]\n"
    "                   for terms; source as int64 positions)\n"
    "  --out PATH       the file to write for one layer and head; a folder (created if missing) for "
    "several,\n"
    "                   with files named layerL_headH_WHAT.FORMAT. Files are replaced only once complete.\n"
    "  --size WxH       image size in pixels (points for PDF); default: room for every position and channel\n"
    "  --scale K        PNG pixel density (2 = twice the pixels of --size); default 1\n"
    "  --colormap C     images of state and terms: diverging (zero white, symmetric range; the default) or\n"
    "                   viridis (smallest to largest value, as the explorer shows them); sources are "
    "viridis\n"
    "  --range A:B      positions A (inclusive) to B (exclusive); either may be omitted; negative counts "
    "from\n"
    "                   the end. Default: every position.\n"
    "\n"
    "Exit status: 0 success, 1 a file or input that cannot be used (one line on stderr says why), 2 usage "
    "errors.\n";

std::vector<int> selectIndices(const std::string& option, const std::string& spec, int count,
                               const char* noun) {
  std::vector<int> out;
  if (spec == "all") {
    for (int i = 0; i < count; ++i) out.push_back(i);
    return out;
  }
  size_t used = 0;
  int v = -1;
  try {
    v = std::stoi(spec, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (spec.empty() || used != spec.size()) {
    throw Error(ErrorKind::Usage,
                "--" + option + " expects a " + noun + " number or 'all', got '" + spec + "'");
  }
  if (v < 0 || v >= count) {
    throw Error(ErrorKind::Usage, "--" + option + " " + spec + " does not exist: there are " +
                                      std::to_string(count) + " " + noun + "s, 0.." +
                                      std::to_string(count - 1));
  }
  return {v};
}

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
    layers = selectIndices("layer", *args.value("layer"), static_cast<int>(info.layers), "layer");
    heads = selectIndices("head", args.value("head").value_or("all"), static_cast<int>(info.heads), "head");
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

}  // namespace

Command exportCommand() {
  return {"export", "export state, source or term heatmaps as png/svg/pdf images or csv/npy data", kUsage,
          &runExport};
}

}  // namespace maxstate::cli
