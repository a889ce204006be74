// The one call that turns a path into model weights: the reader, the heads side file and recognition. Kept
// apart from recognition so that recognition (and its tests) need no file reader.
#include "maxstate/architecture.h"
#include "maxstate/error.h"

namespace maxstate {

ModelWeights loadModel(const std::string& path, std::optional<int64_t> heads) {
  const Checkpoint checkpoint = readCheckpoint(path);
  HeadsHint hint;
  hint.sideFilePath = headsSideFilePath(path);
  if (heads) {
    hint.heads = heads;
    return recogniseModel(checkpoint, hint);
  }
  hint.heads = readHeadsSideFile(path);
  if (!hint.heads) return recogniseModel(checkpoint, hint);
  hint.origin = "the side file " + hint.sideFilePath;
  try {
    return recogniseModel(checkpoint, hint);
  } catch (const Error& e) {
    // Heads that do not fit came from a file, not from the command line: the file is what needs fixing.
    if (e.kind() == ErrorKind::Usage) throw Error(ErrorKind::BadFile, e.what());
    throw;
  }
}

}  // namespace maxstate
