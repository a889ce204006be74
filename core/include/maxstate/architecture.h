#pragma once
// Recognising what a checkpoint holds (SPEC.md sections 1-2): an OpenASH model, a bare layer, either variant.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "maxstate/array.h"
#include "maxstate/checkpoint.h"
#include "maxstate/layer.h"

namespace maxstate {

enum class ModelKind { Model, Layer };
const char* kindName(ModelKind k);  // "model" / "layer"

struct DecoderLayerWeights {
  LayerWeights attention;           // decoder_layers.N.self_attention_linear.*
  FloatArray ffn1Weight, ffn1Bias;  // ffn.ffn1 [d, d], [d]
  FloatArray gateWeight, gateBias;  // ffn.gate
  FloatArray ffn2Weight, ffn2Bias;  // ffn.ffn2
  FloatArray normWeight, normBias;  // layer_norm [d]
  float residualAlpha = 0.5f;       // decoder_layers.N.alpha
};

struct ModelInfo {
  CheckpointFormat format = CheckpointFormat::TorchZip;
  Variant variant = Variant::OpenAsh;
  ModelKind kind = ModelKind::Model;
  std::optional<int64_t> vocabSize;  // models only
  int64_t hidden = 0;
  int64_t heads = 0;
  int64_t layers = 0;                        // 1 for a bare layer
  StorageType dtype = StorageType::Float32;  // the storage dtype of most parameters
  int64_t parameters = 0;
};

struct ModelWeights {
  ModelInfo info;
  FloatArray embedding;                     // em.weight [V, d] (models only)
  std::vector<DecoderLayerWeights> layers;  // a bare layer: one entry with only `attention` filled
  FloatArray headScore;                     // head_score.weight [V, d] (models only)
};

// What `maxstate inspect` shows: the architecture and every layer's learned scalars, found without reading
// or converting any weight matrix.
struct LayerScalars {
  float alpha1 = 0, alpha2 = 0, alpha3 = 0, alpha4 = 0;  // alpha4: seed variant only
  float residualAlpha = 0.5f;                            // models only
};

struct ModelSummary {
  ModelInfo info;
  std::vector<LayerScalars> layers;
};

// Where the number of heads comes from when it cannot be read off the shapes (seed variant).
struct HeadsHint {
  std::optional<int64_t> heads;  // --heads N, or the GUI's answer
  // Where `heads` came from, named in messages when it does not fit the checkpoint.
  std::string origin = "--heads";
  // The side file the user could write when heads are needed and not given (empty: "<checkpoint>.json").
  std::string sideFilePath;
};

// Throws Error(Shape) for contradicting shapes (naming key, shape and expected shape), Error(Unsupported) for
// unknown layouts (listing the keys not understood), Error(Usage) when heads are needed and not given.
// Recognises on the declared shapes first; then estimates the memory the weights need (float32) and throws
// Error(BadFile) saying both sizes when they do not fit (see maxstate/memory.h); then reads the weights.
ModelWeights recogniseModel(const Checkpoint& checkpoint, const HeadsHint& hint = {});
// The same checks, but only the 0-dim scalars are read: no weight is read or converted.
ModelSummary summariseModel(const Checkpoint& checkpoint, const HeadsHint& hint = {});

// The side file `<checkpoint>.json` with {"heads": N}: read (nullopt if absent) and written atomically.
// Reading throws Error(BadFile) for a side file that is not such an object; writing keeps its other fields.
std::string headsSideFilePath(const std::string& checkpointPath);
std::optional<int64_t> readHeadsSideFile(const std::string& checkpointPath);
void writeHeadsSideFile(const std::string& checkpointPath, int64_t heads);

// readCheckpoint + side file + recogniseModel: what the CLI and the GUI call. `heads` (the user's answer)
// wins over the side file; a side file whose heads do not fit gives Error(BadFile) naming it.
ModelWeights loadModel(const std::string& path, std::optional<int64_t> heads = std::nullopt);
// readCheckpoint + side file + summariseModel: what `maxstate inspect` shows, with loadModel's messages.
ModelSummary inspectModel(const std::string& path, std::optional<int64_t> heads = std::nullopt);
// The same for a checkpoint already read from `path` (which names its side file): for callers that need more
// of the checkpoint than the summary (e.g. its epoch and step) and must not read the file twice.
ModelSummary inspectCheckpoint(const Checkpoint& checkpoint, const std::string& path,
                               std::optional<int64_t> heads = std::nullopt);

}  // namespace maxstate
