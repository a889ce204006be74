// Help of `maxstate trace`, which runs in libmaxstate-run.so (cmd_trace.cpp): the help is here so that
// printing it never loads LibTorch.
#include "cli/commands.h"

namespace maxstate::cli {
namespace {

const char* kUsage =
    "Usage: maxstate trace [PATH] (--text STR | --text-file F | --chat F.json | --ids 1,2,3 | --ids-file F "
    "|\n"
    "                      --input x.npy) [--tokenizer openash|longest] [--vocab FILE] [--heads N]\n"
    "                      [--layer L|all] [--mode parallel|step] --out DIR\n"
    "\n"
    "Runs a model over a sequence and writes what every layer records, as NumPy files:\n"
    "  DIR/layerL/input.npy   float32 [S, d]        the layer's input\n"
    "  DIR/layerL/state.npy   float32 [S, H, dh]    the running maximum (the state) after each position\n"
    "  DIR/layerL/source.npy  int64   [S, H, dh]    the position whose value each state cell holds\n"
    "  DIR/layerL/terms.npy   float32 [T, S, H, dh] the terms T1..T5 (seed) or T1..T6 (openash)\n"
    "  DIR/layerL/output.npy  float32 [S, d]        the layer's output, channel j*H + h as PyTorch returns "
    "it\n"
    "  DIR/logits.npy         float32 [S, V]        the model's logits (models only)\n"
    "  DIR/meta.json          shapes, tokens, labels and the model's description\n"
    "\n"
    "  PATH             a checkpoint (torch.save zip or legacy, .safetensors, TorchScript); without PATH, "
    "the\n"
    "                   bundled demo model and its vocabulary\n"
    "  --text STR       text (UTF-8), tokenised with the vocabulary (see --tokenizer)\n"
    "  --text-file F    the text of a UTF-8 file\n"
    "  --chat F.json    a conversation (a JSON list of {\"role\", \"content\", ...} messages), as OpenASH's\n"
    "                   chat template writes it, ending with the assistant's turn opener\n"
    "  --ids LIST       token ids, e.g. 1,2,3 or \"1 2 3\"\n"
    "  --ids-file F     token ids from an integer .npy file of shape [S], or a text file of ids\n"
    "  --input F        a float32 .npy of shape [S, d]: the input of a bare MaxStateSuper layer\n"
    "  --tokenizer T    openash (OpenASH's own encoder, jieba words first: the default for OpenASH\n"
    "                   vocabularies) or longest (longest match: the default for other vocabularies)\n"
    "  --vocab FILE     the vocabulary (OpenASH JSON or a token list); default: the one beside PATH\n"
    "                   (NAME.vocab.json, open_ash_voc_agent.json, vocab.json, vocabulary.json), or the "
    "demo's\n"
    "  --heads N        the heads of a seed-variant checkpoint (or a side file PATH.json with {\"heads\": "
    "N})\n"
    "  --layer L|all    the layer(s) to write (default all)\n"
    "  --mode M         parallel (default: one pass per layer, exactly PyTorch's numbers) or step (one "
    "token\n"
    "                   at a time, carrying each layer's state)\n"
    "  --out DIR        the folder to write (created if missing; files in it are replaced)\n"
    "\n"
    "Exit status: 0 success, 1 a file or input that cannot be used (one line on stderr says why), 2 usage "
    "errors.\n";

}  // namespace

Command traceCommand() {
  return {"trace", "run ids, text or an input through a model; write states, sources, terms as .npy", kUsage,
          nullptr};
}

}  // namespace maxstate::cli
