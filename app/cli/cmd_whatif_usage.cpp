// Help of `maxstate whatif`, which runs in libmaxstate-run.so (cmd_whatif.cpp): the help is here so that
// printing it never loads LibTorch.
#include "cli/commands.h"

namespace maxstate::cli {
namespace {

const char* kUsage =
    "Usage: maxstate whatif [PATH] (--text STR | --text-file F | --chat F.json | --ids 1,2,3 | --ids-file F "
    "|\n"
    "                       --input x.npy) [--tokenizer openash|longest] [--vocab FILE] [--heads N]\n"
    "                       --edit SPEC [--edit SPEC]... [--layer L|all] --out DIR\n"
    "\n"
    "Traces the input, reruns it with the edits, and writes both runs and what changed:\n"
    "  DIR/base/      the run as given, in the layout of 'maxstate trace' (layerL/*.npy, logits.npy, "
    "meta.json)\n"
    "  DIR/edited/    the edited run, the same files (meta.json also lists the edits)\n"
    "  DIR/summary.json  {\"edits\", \"length_base\", \"length_edited\", \"first_affected\", \"kl\", "
    "\"top1_base\",\n"
    "                 \"top1_edited\", \"base_position\"}: per position of the edited run, KL(base || "
    "edited) "
    "of the\n"
    "                 next-token distributions (nats; null where the position has no base counterpart), "
    "each\n"
    "                 run's top-1 token, and the base position it corresponds to\n"
    "\n"
    "Edits (positions 0-based; L layer, H head; applied in the order given, each one's positions those of "
    "the\n"
    "sequence the edits before it left; a later token edit moves the positions of earlier interventions):\n"
    "  replace:P=ID        the token at P becomes ID\n"
    "  delete:P            position P is removed\n"
    "  insert:P=ID         ID is inserted before position P\n"
    "  knockout:P          position P's value never enters the running max (P >= 1), in every layer and "
    "head;\n"
    "  knockout:P@L        ... in layer L only;  knockout:P@L.H  ... in head H of layer L only\n"
    "  zero-state:L.H@P    the state of head H of layer L is 0 from position P on\n"
    "  freeze-state:L.H@P  the state of head H of layer L stays what it was at P-1 from P on (P >= 1)\n"
    "  drop-term:L.H.Tk    term Tk (k = 1..6; T6 openash only) of head H of layer L is left out of its "
    "output\n"
    "  drop-term:L.H.Tk@P  ... from position P on\n"
    "Bare layers (--input) take the interventions only, with layer 0.\n"
    "\n"
    "  PATH, the input flags, --tokenizer, --vocab, --heads   as for 'maxstate trace'\n"
    "  --edit SPEC      one edit; repeat the option for several (they combine)\n"
    "  --layer L|all    the layer(s) whose files are written (default all); logits.npy and meta.json always\n"
    "  --out DIR        the folder to write (created if missing; files in it are replaced)\n"
    "\n"
    "Exit status: 0 success, 1 a file or input that cannot be used, 2 usage errors -- among them an edit "
    "that\n"
    "does not fit (knockout:0, a position outside the sequence, a layer, head or term that does not exist, "
    "an\n"
    "id outside the vocabulary). One line on stderr says what is wrong.\n";

}  // namespace

Command whatifCommand() {
  return {"whatif", "rerun with edited tokens, knocked-out positions, zeroed or frozen state, dropped terms",
          kUsage, nullptr};
}

}  // namespace maxstate::cli
