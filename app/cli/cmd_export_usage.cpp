// Help of `maxstate export`, which runs in libmaxstate-run.so (cmd_export.cpp): the help is here so that
// printing it never loads LibTorch.
#include "cli/commands.h"

namespace maxstate::cli {
namespace {

const char* kUsage =
    "Usage: maxstate export [PATH] (--text STR | --text-file F | --chat F.json | --ids 1,2,3 | --ids-file F "
    "|\n"
    "                       --input x.npy) [--tokenizer openash|longest] [--vocab FILE] [--heads N]\n"
    "                       [--mode parallel|step]\n"
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
    "  PATH, the input flags, --tokenizer, --vocab, --heads, --mode   as for 'maxstate trace'\n"
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

}  // namespace

Command exportCommand() {
  return {"export", "export state, source or term heatmaps as png/svg/pdf images or csv/npy data", kUsage,
          nullptr};
}

}  // namespace maxstate::cli
