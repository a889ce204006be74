// Help of `maxstate stats`, which runs in libmaxstate-run.so (cmd_stats.cpp): the help is here so that
// printing it never loads LibTorch.
#include "cli/commands.h"

namespace maxstate::cli {
namespace {

const char* kUsage =
    "Usage: maxstate stats [PATH] (--text STR | --text-file F | --chat F.json | --ids 1,2,3 | --ids-file F "
    "|\n"
    "                      --input x.npy) [--tokenizer openash|longest] [--vocab FILE] [--heads N]\n"
    "                      --out DIR [--plot FILE.png|svg|pdf] [--train-length N] [--chunk N]\n"
    "\n"
    "Streams the input through the model a chunk at a time, carrying every layer's state, and writes the\n"
    "long-context statistics of every layer, position and head. Memory depends on the chunk, not on the\n"
    "length: 65,536 tokens and more of the published model fit in 1.5 GB.\n"
    "  DIR/state_norm.npy  float32 [L, S, H]  sqrt(sum_j e^2) of the head's state e (dh channels j)\n"
    "  DIR/state_max.npy   float32 [L, S, H]  max_j |e|\n"
    "  DIR/write_rate.npy  float32 [L, S, H]  share of the head's channels this token wrote (source == t)\n"
    "  DIR/source_age.npy  float32 [L, S, H]  mean age t - source of the values the state holds\n"
    "  DIR/nll.npy         float32 [S-1]      models: -log p(token t+1 | tokens 0..t), nats\n"
    "  DIR/meta.json       the model, the input, the length, the chunk, the training length, and every\n"
    "                      file's dtype and shape\n"
    "L = 1 for a bare layer (--input). The folder is written all at once: after an error nothing of it is.\n"
    "\n"
    "  PATH, the input flags, --tokenizer, --vocab, --heads   as for 'maxstate trace'\n"
    "  --out DIR           the folder to write (created if missing; these files in it are replaced)\n"
    "  --plot FILE         also draw an overview figure (PNG, SVG or PDF by the extension): the mean state\n"
    "                      norm of every layer over positions (a bare layer: each head's), the NLL and its\n"
    "                      running mean, and the training length marked\n"
    "  --train-length N    where the figure marks the training length; default: \"train_length\" in the\n"
    "                      checkpoint's side file PATH.json, else the demo's, else 8192 (OpenASH's)\n"
    "  --chunk N           positions run at once (default 8192); the statistics do not depend on it beyond\n"
    "                      float rounding\n"
    "\n"
    "Exit status: 0 success, 1 a file or input that cannot be used, 2 usage errors. One line on stderr says\n"
    "what is wrong.\n";

}  // namespace

Command statsCommand() {
  return {"stats", "long-context statistics per layer, position and head, streamed in bounded memory", kUsage,
          nullptr};
}

}  // namespace maxstate::cli
