// Help of `maxstate diff`, which runs in libmaxstate-run.so (cmd_diff.cpp): the help is here so that printing
// it never loads LibTorch.
#include "cli/commands.h"

namespace maxstate::cli {
namespace {

const char* kUsage =
    "Usage: maxstate diff A B [--text STR | --text-file F | --chat F.json | --ids 1,2,3 | --ids-file F |\n"
    "                          --input x.npy] [--tokenizer openash|longest] [--vocab FILE] [--heads N]\n"
    "                          [--layer L|all] --out DIR\n"
    "\n"
    "Compares two checkpoints A and B of one architecture (e.g. two training steps) and writes:\n"
    "  DIR/summary.json  {\"parameters\": [{\"name\", \"shape\", \"rel_change\"}...],\n"
    "                     \"alphas\": [{\"layer\", \"a\": {...}, \"b\": {...}}...]}\n"
    "                    rel_change = ||W_B - W_A|| / ||W_A|| (float64; null where A's tensor is all "
    "zeros);\n"
    "                    the alphas: alpha1..alpha3, alpha4 (seed), residual_alpha (models)\n"
    "With an input, both models run on it, and the summary also holds\n"
    "                    \"kl\": KL(P_A || P_B) of the next-token distributions per position (nats),\n"
    "                    \"top1_agree\": the fraction of positions whose top-1 token is the same (both null\n"
    "                    for bare layers), \"layers\": [{\"layer\", \"state_rel_diff\", "
    "\"source_agree\"}...]\n"
    "                    (||e_B - e_A|| / ||e_A|| of the states; the fraction of state cells whose source "
    "is\n"
    "                    the same), and \"top1_a\", \"top1_b\": each model's top-1 token per position\n"
    "  DIR/layerL/state_diff.npy   float32 [S, H, dh]  B's state minus A's\n"
    "  DIR/layerL/source_same.npy  uint8   [S, H, dh]  1 where both states hold the same position\n"
    "\n"
    "  A, B             two checkpoints (torch.save zip or legacy, .safetensors, TorchScript)\n"
    "  input flags, --tokenizer, --vocab, --heads   as for 'maxstate trace' (the vocabulary is A's)\n"
    "  --layer L|all    the layer(s) whose .npy files are written (default all; needs an input)\n"
    "  --out DIR        the folder to write (created if missing; files in it are replaced). It is written\n"
    "                   all at once: an error or Ctrl+C leaves it as it was\n"
    "\n"
    "Exit status: 0 success, 1 a file that cannot be used or two checkpoints that are not of one\n"
    "architecture (one line on stderr names the first key or shape that differs), 2 usage errors, 130\n"
    "interrupted.\n";

}  // namespace

Command diffCommand() {
  return {"diff", "compare two checkpoints: parameters moved, alphas, and behaviour on one input", kUsage,
          nullptr};
}

}  // namespace maxstate::cli
