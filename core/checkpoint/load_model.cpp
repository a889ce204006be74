// The calls that turn a path into model weights (or the summary inspect shows): the reader, the heads side
// file and recognition. Kept apart from recognition so that recognition (and its tests) need no file reader.
#include "maxstate/architecture.h"
#include "maxstate/error.h"

namespace maxstate {
namespace {

template <class Result, class Recognise>
Result fromCheckpoint(const Checkpoint& checkpoint, const std::string& path, std::optional<int64_t> heads,
                      Recognise recognise) {
  HeadsHint hint;
  hint.sideFilePath = headsSideFilePath(path);
  if (heads) {
    hint.heads = heads;
    return recognise(checkpoint, hint);
  }
  hint.heads = readHeadsSideFile(path);
  if (!hint.heads) return recognise(checkpoint, hint);
  hint.origin = "the side file " + hint.sideFilePath;
  try {
    return recognise(checkpoint, hint);
  } catch (const Error& e) {
    // Heads that do not fit came from a file, not from the command line: the file is what needs fixing.
    if (e.kind() == ErrorKind::Usage) throw Error(ErrorKind::BadFile, e.what());
    throw;
  }
}

template <class Result, class Recognise>
Result fromPath(const std::string& path, std::optional<int64_t> heads, Recognise recognise) {
  return fromCheckpoint<Result>(readCheckpoint(path), path, heads, recognise);
}

}  // namespace

ModelWeights loadModel(const std::string& path, std::optional<int64_t> heads) {
  return fromPath<ModelWeights>(path, heads,
                                [](const Checkpoint& c, const HeadsHint& h) { return recogniseModel(c, h); });
}

ModelSummary inspectModel(const std::string& path, std::optional<int64_t> heads) {
  return fromPath<ModelSummary>(path, heads,
                                [](const Checkpoint& c, const HeadsHint& h) { return summariseModel(c, h); });
}

ModelSummary inspectCheckpoint(const Checkpoint& checkpoint, const std::string& path,
                               std::optional<int64_t> heads) {
  return fromCheckpoint<ModelSummary>(
      checkpoint, path, heads, [](const Checkpoint& c, const HeadsHint& h) { return summariseModel(c, h); });
}

}  // namespace maxstate
