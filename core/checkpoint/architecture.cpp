// Recognising an OpenASH model or a bare MaxStateSuper layer (either variant) in a checkpoint's named
// tensors. Sizes come from a few defining tensors; every other tensor is checked against them, so a file
// whose shapes contradict each other is refused with the key at fault rather than failing later inside the
// maths.
#include <algorithm>
#include <map>
#include <set>

#include "checkpoint/key_reader.h"
#include "checkpoint/layout.h"
#include "checkpoint/tensor_loader.h"
#include "maxstate/architecture.h"
#include "maxstate/error.h"
#include "maxstate/memory.h"

namespace maxstate {

const char* kindName(ModelKind k) { return k == ModelKind::Model ? "model" : "layer"; }

namespace {

using detail::KeyReader;
using detail::listNames;
using detail::TensorMap;
using detail::throwShapeError;

std::string str(int64_t n) { return std::to_string(n); }

// The hidden size and the key it was read from, for the messages of every tensor checked against it.
struct HiddenSize {
  int64_t d = 0;
  std::string source;  // the key d was read from
  std::string why() const { return "hidden size " + std::to_string(d) + ", from " + source; }
};

// One attention layer as read, before its heads are settled (a seed layer's heads come from the user).
struct AttentionRead {
  LayerWeights weights;
  std::string prefix;
  std::string variantKey;  // the key that decided the variant, for messages
};

// A first head_linear fixes the heads of every later one.
struct HeadsSeen {
  int64_t heads = 0;
  std::string key;
};

AttentionRead readAttention(KeyReader& r, const std::string& prefix, const HiddenSize& hidden,
                            HeadsSeen& seen) {
  AttentionRead out;
  out.prefix = prefix;
  LayerWeights& w = out.weights;
  const int64_t d = hidden.d;
  w.combined = r.take(prefix + "combined.weight", {4 * d, d}, "4 x hidden rows, " + hidden.why());
  w.alpha1 = r.takeScalar(prefix + "alpha1");
  w.alpha2 = r.takeScalar(prefix + "alpha2");
  w.alpha3 = r.takeScalar(prefix + "alpha3");

  const std::string headKey = prefix + "head_linear.weight";
  if (r.has(headKey)) {
    // OpenASH: head_linear = Linear(5H, H) tells the heads. A stray alpha4 is left over and reported.
    w.variant = Variant::OpenAsh;
    out.variantKey = headKey;
    if (seen.heads == 0) {
      const Shape& s = r.peek(headKey)->shape();
      if (s.size() != 2 || s[0] < 1 || s[1] != 5 * s[0]) {
        const int64_t h = s.size() == 2 && s[0] >= 1 ? s[0] : 0;
        throwShapeError(headKey, s, h ? shapeToString({h, 5 * h}) : "[H, 5H]",
                        "head_linear maps the 5 branches of H heads to H heads");
      }
      // Checked here, at the layer that sets the heads, so that the message points at it.
      if (hidden.d % s[0] != 0)
        throw Error(ErrorKind::Shape, headKey + " has shape " + shapeToString(s) + ", so " + str(s[0]) +
                                          " heads, which do not divide the hidden size " + str(hidden.d) +
                                          " (from " + hidden.source + ")");
      seen = {s[0], headKey};
    }
    w.headLinear =
        r.take(headKey, {seen.heads, 5 * seen.heads}, str(seen.heads) + " heads, from " + seen.key);
    w.heads = seen.heads;
  } else if (r.has(prefix + "alpha4")) {
    w.variant = Variant::Seed;
    out.variantKey = prefix + "alpha4";
    w.alpha4 = r.takeScalar(prefix + "alpha4");
  } else {
    r.markMissing(headKey + " (openash variant) or " + prefix + "alpha4 (seed variant)");
  }
  return out;
}

// Some divisors of d, as a suggestion for --heads.
std::string divisorsOf(int64_t d) {
  std::vector<std::string> list;
  for (int64_t h = 1; h <= d; ++h)
    if (d % h == 0) list.push_back(str(h));
  return listNames(list, 10);
}

std::string sideFileText(const HeadsHint& hint) {
  return hint.sideFilePath.empty() ? "a side file <checkpoint>.json" : hint.sideFilePath;
}

// "decoder_layers.1.self_attention_linear is the seed variant (it has alpha4)"
std::string describeVariant(const AttentionRead& a) {
  const std::string name = a.prefix.empty() ? "the layer" : a.prefix.substr(0, a.prefix.size() - 1);
  return name + " is the " + variantName(a.weights.variant) + " variant (it has " +
         a.variantKey.substr(a.prefix.size()) + ")";
}

// Settles the heads of every layer: read off head_linear (OpenASH) or given by the user (seed).
int64_t settleHeads(std::vector<AttentionRead>& layers, const HiddenSize& hidden, const HeadsHint& hint) {
  const Variant variant = layers.front().weights.variant;
  for (const AttentionRead& a : layers)
    if (a.weights.variant != variant)
      throw Error(ErrorKind::Unsupported,
                  "layers of different variants in one model: " + describeVariant(layers.front()) + ", but " +
                      describeVariant(a));
  const int64_t d = hidden.d;
  int64_t heads = 0;
  if (variant == Variant::OpenAsh) {
    const AttentionRead& first = layers.front();
    heads = first.weights.heads;
    const Shape s = {heads, 5 * heads};  // as head_linear was checked to be; heads divide d (checked there)
    if (hint.heads && *hint.heads != heads)
      throw Error(ErrorKind::Usage, hint.origin + " says " + str(*hint.heads) + " heads, but " +
                                        first.variantKey + " has shape " + shapeToString(s) +
                                        ", so the checkpoint has " + str(heads) +
                                        ": leave the heads out, they are read from the checkpoint");
  } else {
    if (!hint.heads)
      throw Error(
          ErrorKind::Usage,
          "this seed-variant checkpoint does not say how many heads it has (it has no head_linear): pass "
          "--heads N, or write {\"heads\": N} to " +
              sideFileText(hint) + " (N divides the hidden size " + str(d) + ": " + divisorsOf(d) + ")");
    heads = *hint.heads;
    if (heads < 1)
      throw Error(ErrorKind::Usage, hint.origin + " says " + str(heads) +
                                        " heads, but a layer has at least 1: choose one of " + divisorsOf(d) +
                                        " (the divisors of the hidden size " + str(d) + ")");
    if (d % heads != 0)
      throw Error(ErrorKind::Usage, hint.origin + " says " + str(heads) +
                                        " heads, which do not divide the hidden size " + str(d) +
                                        ": choose one of " + divisorsOf(d));
  }
  for (AttentionRead& a : layers) a.weights.heads = heads;
  return heads;
}

// Missing keys and keys nobody understood end recognition with one message that names them.
void throwIfIncomplete(const KeyReader& r, const std::string& what) {
  const std::vector<std::string> unknown = r.unused();
  const std::vector<std::string>& missing = r.missing();
  if (unknown.empty() && missing.empty()) return;
  std::string message = "unsupported layout for " + what + ":";
  if (!unknown.empty())
    message += " " + str(int64_t(unknown.size())) + (unknown.size() == 1 ? " key is" : " keys are") +
               " not understood: " + listNames(unknown) + (missing.empty() ? "" : ";");
  if (!missing.empty()) message += " missing " + listNames(missing);
  throw Error(ErrorKind::Unsupported, message);
}

// What recognition reads with: the loaded tensors (or none: declared shapes and scalars only), and where to
// leave the keys it used.
struct ReadMode {
  const TensorMap* loaded = nullptr;
  std::vector<std::string>* used = nullptr;
};

void finish(ModelWeights& m, const Checkpoint& cp, const KeyReader& r, const ReadMode& mode) {
  m.info.format = cp.format;
  m.info.parameters = r.parameters();
  m.info.dtype = r.dominantType();
  if (mode.used) *mode.used = r.used();
}

ModelWeights recogniseLayer(const Checkpoint& cp, const std::string& prefix, const HeadsHint& hint,
                            const ReadMode& mode) {
  KeyReader r(cp, mode.loaded);
  const std::string combinedKey = prefix + "combined.weight";
  const Shape& s = r.peek(combinedKey)->shape();
  if (s.size() != 2 || s[1] < 1 || s[0] != 4 * s[1]) {
    const bool matrix = s.size() == 2 && s[1] >= 1;
    throwShapeError(combinedKey, s, matrix ? shapeToString({4 * s[1], s[1]}) : "[4 x hidden, hidden]",
                    "the layer's projection to its 4 branches");
  }
  const HiddenSize hidden{s[1], combinedKey};
  HeadsSeen seen;
  std::vector<AttentionRead> layers = {readAttention(r, prefix, hidden, seen)};
  throwIfIncomplete(r, "a bare MaxStateSuper layer");

  ModelWeights m;
  m.info.kind = ModelKind::Layer;
  m.info.variant = layers.front().weights.variant;
  m.info.hidden = hidden.d;
  m.info.heads = settleHeads(layers, hidden, hint);
  m.info.layers = 1;
  finish(m, cp, r, mode);
  m.layers.resize(1);
  m.layers[0].attention = std::move(layers.front().weights);
  return m;
}

// Vocabulary and hidden size of a model, from em.weight (or head_score.weight when em.weight is missing).
struct ModelSizes {
  int64_t vocab = 0;
  HiddenSize hidden;
  std::string vocabWhy;
};

std::optional<ModelSizes> modelSizes(const KeyReader& r, const std::string& prefix) {
  for (const char* name : {"em.weight", "head_score.weight"}) {
    const std::string key = prefix + name;
    const CheckpointTensor* t = r.peek(key);
    if (!t) continue;
    const Shape& s = t->shape();
    if (s.size() != 2 || s[0] < 1 || s[1] < 1)
      throwShapeError(key, s, "[vocabulary, hidden] with both at least 1", "a token embedding matrix");
    ModelSizes sizes;
    sizes.vocab = s[0];
    sizes.hidden = {s[1], key};
    sizes.vocabWhy = "vocabulary " + str(s[0]) + " and hidden size " + str(s[1]) + ", from " + key;
    return sizes;
  }
  return std::nullopt;
}

ModelWeights recogniseOpenAshModel(const Checkpoint& cp, const std::string& prefix, const HeadsHint& hint,
                                   const ReadMode& mode) {
  KeyReader r(cp, mode.loaded);
  const std::string layersPrefix = prefix + "decoder_layers.";
  std::set<int> indices;
  for (const auto& [key, tensor] : cp.tensors) {
    if (key.rfind(layersPrefix, 0) != 0) continue;
    const size_t dot = key.find('.', layersPrefix.size());
    if (dot == std::string::npos) continue;
    if (auto i = detail::parseLayerIndex(key.substr(layersPrefix.size(), dot - layersPrefix.size())))
      indices.insert(*i);
  }
  if (indices.empty()) r.markMissing(layersPrefix + "0.* (the model has no decoder layers)");
  const int layerCount = indices.empty() ? 0 : *indices.rbegin() + 1;

  std::optional<ModelSizes> sizes = modelSizes(r, prefix);
  ModelWeights m;
  if (sizes) {
    m.embedding = r.take(prefix + "em.weight", {sizes->vocab, sizes->hidden.d}, sizes->vocabWhy);
    m.headScore = r.take(prefix + "head_score.weight", {sizes->vocab, sizes->hidden.d}, sizes->vocabWhy);
  } else {
    // Neither matrix is there to tell the sizes: take the hidden size from the first layer, so that the
    // message names every missing key rather than calling all the others not understood.
    r.markMissing(prefix + "em.weight");
    r.markMissing(prefix + "head_score.weight");
    const std::string combinedKey =
        layersPrefix + str(indices.empty() ? 0 : *indices.begin()) + ".self_attention_linear.combined.weight";
    const CheckpointTensor* combined = r.peek(combinedKey);
    if (!combined || combined->shape().size() != 2 || combined->shape()[1] < 1)
      throw Error(ErrorKind::Unsupported,
                  "unsupported layout for an OpenASH model: missing " + listNames(r.missing()));
    sizes = ModelSizes{0, {combined->shape()[1], combinedKey}, ""};
  }
  const int64_t d = sizes->hidden.d;
  const HiddenSize& hidden = sizes->hidden;

  HeadsSeen seen;
  std::vector<AttentionRead> attention;
  for (int n = 0; n < layerCount; ++n) {
    const std::string p = layersPrefix + str(n) + ".";
    if (!indices.count(n)) {
      r.markMissing(p + "* (all of layer " + str(n) + ")");
      continue;
    }
    attention.push_back(readAttention(r, p + "self_attention_linear.", hidden, seen));
    DecoderLayerWeights layer;
    const std::string why = hidden.why();
    layer.ffn1Weight = r.take(p + "ffn.ffn1.weight", {d, d}, why);
    layer.ffn1Bias = r.take(p + "ffn.ffn1.bias", {d}, why);
    layer.gateWeight = r.take(p + "ffn.gate.weight", {d, d}, why);
    layer.gateBias = r.take(p + "ffn.gate.bias", {d}, why);
    layer.ffn2Weight = r.take(p + "ffn.ffn2.weight", {d, d}, why);
    layer.ffn2Bias = r.take(p + "ffn.ffn2.bias", {d}, why);
    layer.normWeight = r.take(p + "layer_norm.weight", {d}, why);
    layer.normBias = r.take(p + "layer_norm.bias", {d}, why);
    layer.residualAlpha = r.takeScalar(p + "alpha");
    m.layers.push_back(std::move(layer));
  }
  throwIfIncomplete(r, "an OpenASH model");

  m.info.kind = ModelKind::Model;
  m.info.variant = attention.front().weights.variant;
  m.info.vocabSize = sizes->vocab;
  m.info.hidden = d;
  m.info.heads = settleHeads(attention, hidden, hint);
  m.info.layers = layerCount;
  finish(m, cp, r, mode);
  for (size_t i = 0; i < attention.size(); ++i) m.layers[i].attention = std::move(attention[i].weights);
  return m;
}

[[noreturn]] void throwUnknownLayout(const Checkpoint& cp) {
  std::vector<std::string> keys;
  for (const auto& [key, tensor] : cp.tensors) keys.push_back(key);
  throw Error(
      ErrorKind::Unsupported,
      "not a MaxStateSuper checkpoint: none of its " + str(int64_t(keys.size())) +
          " tensors is understood (" + listNames(keys) +
          "); expected an OpenASH model (em.weight, decoder_layers.N.self_attention_linear.combined.weight, "
          "..., head_score.weight) or a bare layer (combined.weight, alpha1..alpha3, and head_linear.weight "
          "or alpha4)");
}

// Recognition itself, on declared shapes (mode.loaded null: big arrays left empty) or on loaded tensors.
ModelWeights recognise(const Checkpoint& checkpoint, const HeadsHint& hint, const ReadMode& mode) {
  if (checkpoint.tensors.empty()) {
    std::string message = "the checkpoint holds no floating-point tensors, so no model weights";
    if (!checkpoint.skipped.empty()) message += " (it only has " + listNames(checkpoint.skipped) + ")";
    throw Error(ErrorKind::Unsupported, message);
  }
  const detail::Layout layout = detail::detectLayout(checkpoint);
  switch (layout.kind) {
    case detail::LayoutKind::Model:
      return recogniseOpenAshModel(checkpoint, layout.prefix, hint, mode);
    case detail::LayoutKind::Layer:
      return recogniseLayer(checkpoint, layout.prefix, hint, mode);
    case detail::LayoutKind::Unknown:
      break;
  }
  throwUnknownLayout(checkpoint);
}

}  // namespace

ModelSummary summariseModel(const Checkpoint& checkpoint, const HeadsHint& hint) {
  const ModelWeights m = recognise(checkpoint, hint, {});
  ModelSummary out;
  out.info = m.info;
  for (const DecoderLayerWeights& l : m.layers)
    out.layers.push_back(
        {l.attention.alpha1, l.attention.alpha2, l.attention.alpha3, l.attention.alpha4, l.residualAlpha});
  return out;
}

ModelWeights recogniseModel(const Checkpoint& checkpoint, const HeadsHint& hint) {
  // Declared shapes first: a file that is not a model, or one too big for this machine, is refused before
  // any weight is read.
  std::vector<std::string> used;
  recognise(checkpoint, hint, {nullptr, &used});
  checkMemoryFits(detail::loadBytesNeeded(checkpoint, used), "loading this model");
  const detail::TensorMap loaded = detail::loadTensors(checkpoint, used);
  return recognise(checkpoint, hint, {&loaded, nullptr});
}

}  // namespace maxstate
