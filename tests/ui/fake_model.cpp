#include "fake_model.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

#include "maxstate/error.h"

namespace maxstate::test {

namespace {

// A deterministic value in [-1, 1) for each cell; coarse steps make ties (and so the latest-index rule)
// common.
float branchValue(int layer, int64_t token, int64_t pos, int64_t head, int64_t ch) {
  uint64_t h = static_cast<uint64_t>(layer) * 0x9E3779B97F4A7C15ull ^
               static_cast<uint64_t>(token) * 0xC2B2AE3D27D4EB4Full ^
               static_cast<uint64_t>(pos % 7) * 0x165667B19E3779F9ull ^
               static_cast<uint64_t>(head) * 0x27D4EB2F165667C5ull ^
               static_cast<uint64_t>(ch) * 0x94D049BB133111EBull;
  h ^= h >> 31;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 29;
  return static_cast<float>(static_cast<int>(h % 64) - 32) / 32.0f;
}

ModelInfo infoOf(const FakeSpec& spec) {
  ModelInfo info;
  info.kind = spec.kind;
  info.variant = spec.variant;
  info.heads = spec.heads;
  info.hidden = spec.heads * spec.headDim;
  info.layers = spec.kind == ModelKind::Layer ? 1 : spec.layers;
  if (spec.kind == ModelKind::Model) info.vocabSize = spec.vocab;
  info.dtype = StorageType::Float16;
  return info;
}

}  // namespace

FakeTrace::FakeTrace(const FakeSpec& spec, std::vector<int64_t> ids, int64_t length, const Progress& progress)
    : m_info(infoOf(spec)), m_ids(std::move(ids)), m_length(length) {
  const int64_t H = spec.heads, dh = spec.headDim, T = termCount(spec.variant);
  std::vector<std::shared_ptr<LayerRecord>> records;
  for (int l = 0; l < m_info.layers; ++l) {
    auto r = std::make_shared<LayerRecord>();
    r->state = FloatArray({length, H, dh});
    r->source = IndexArray({length, H, dh});
    r->terms = FloatArray({T, length, H, dh});
    r->output = FloatArray({length, H * dh});
    records.push_back(r);
  }
  for (int64_t p = 0; p < length; ++p) {
    if (progress.cancel && *progress.cancel) throw Error(ErrorKind::Cancelled, "cancelled");
    if (spec.sleepPerTokenMs > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(spec.sleepPerTokenMs));
    const int64_t token = m_ids.empty() ? p : m_ids[static_cast<size_t>(p)];
    for (int l = 0; l < m_info.layers; ++l) {
      LayerRecord& r = *records[static_cast<size_t>(l)];
      for (int64_t h = 0; h < H; ++h)
        for (int64_t j = 0; j < dh; ++j) {
          const float c = branchValue(l, token, p, h, j);
          // cummax with the latest index on ties, as torch.cummax.
          if (p == 0 || c >= r.state.at({p - 1, h, j})) {
            r.state.at({p, h, j}) = c;
            r.source.at({p, h, j}) = p;
          } else {
            r.state.at({p, h, j}) = r.state.at({p - 1, h, j});
            r.source.at({p, h, j}) = r.source.at({p - 1, h, j});
          }
          for (int64_t t = 0; t < T; ++t)
            r.terms.at({t, p, h, j}) = c * static_cast<float>(t + 1) + 0.1f * static_cast<float>(l);
        }
    }
    if (progress.report) progress.report(p + 1, length);
  }
  for (auto& r : records) m_records.push_back(r);
}

FloatArray FakeTrace::stateNorm(int index) const {
  const auto& r = *m_records.at(static_cast<size_t>(index));
  const int64_t S = r.state.dim(0), H = r.state.dim(1), dh = r.state.dim(2);
  FloatArray out({S, H});
  for (int64_t p = 0; p < S; ++p)
    for (int64_t h = 0; h < H; ++h) {
      double sum = 0;
      for (int64_t j = 0; j < dh; ++j) sum += std::pow(r.state.at({p, h, j}), 2);
      out.at({p, h}) = static_cast<float>(std::sqrt(sum));
    }
  return out;
}

std::vector<Prediction> FakeTrace::predictions(int64_t pos) const {
  std::vector<Prediction> out;
  if (m_info.kind != ModelKind::Model) return out;
  float mass = 0.5f;
  for (int k = 0; k < 10; ++k) {
    out.push_back({(pos * 7 + k * 13) % *m_info.vocabSize, mass});
    mass /= 2;
  }
  return out;
}

std::vector<std::vector<Prediction>> FakeTrace::logitLens(int64_t pos) const {
  std::vector<std::vector<Prediction>> out;
  if (m_info.kind != ModelKind::Model) return out;
  for (int l = 0; l < layerCount(); ++l) {
    std::vector<Prediction> top;
    for (int k = 0; k < 5; ++k)
      top.push_back({(pos * 3 + l * 5 + k) % *m_info.vocabSize, 0.4f / static_cast<float>(k + 1 + l)});
    out.push_back(top);
  }
  return out;
}

FakeModel::FakeModel(FakeSpec spec) : m_spec(spec), m_info(infoOf(spec)) {}

std::vector<ui::LayerAlphas> FakeModel::alphas() const {
  std::vector<ui::LayerAlphas> out;
  for (int l = 0; l < m_info.layers; ++l) {
    ui::LayerAlphas a;
    a.alpha1 = 0.5f + 0.1f * static_cast<float>(l) + m_spec.alphaShift;
    a.alpha2 = 0.4f - 0.05f * static_cast<float>(l) + m_spec.alphaShift;
    a.alpha3 = 0.3f + m_spec.alphaShift;
    if (m_spec.variant == Variant::Seed) a.alpha4 = 0.5f;
    if (m_spec.kind == ModelKind::Model)
      a.residual = 0.25f + 0.02f * static_cast<float>(l) + m_spec.alphaShift;
    out.push_back(a);
  }
  return out;
}

EncodedInput FakeModel::encodeInput(const InputRequest& request) const {
  EncodedInput out;
  if (request.kind == InputKind::Ids) {
    out.ids = parseIdList(request.value);
  } else if (request.kind == InputKind::Text) {
    for (unsigned char c : request.value) out.ids.push_back(c % m_spec.vocab);
  } else {
    throw Error(ErrorKind::Usage, "the test model takes text or ids");
  }
  if (out.ids.empty()) throw Error(ErrorKind::Usage, "the input is empty: give some text");
  for (int64_t id : out.ids)
    if (id >= m_spec.vocab)
      throw Error(ErrorKind::Usage, "token id " + std::to_string(id) + " is outside the vocabulary");
  return out;
}

std::vector<std::string> FakeModel::labels(const std::vector<int64_t>& ids) const {
  std::vector<std::string> out;
  for (int64_t id : ids)
    out.push_back(id >= 32 && id < 127 ? std::string(1, static_cast<char>(id))
                                       : "<" + std::to_string(id) + ">");
  return out;
}

std::shared_ptr<const Trace> FakeModel::trace(const std::vector<int64_t>& ids,
                                              const Progress& progress) const {
  return std::make_shared<FakeTrace>(m_spec, ids, static_cast<int64_t>(ids.size()), progress);
}

std::shared_ptr<const Trace> FakeModel::traceInput(const FloatArray& x, const Progress& progress) const {
  return std::make_shared<FakeTrace>(m_spec, std::vector<int64_t>{}, x.dim(0), progress);
}

std::shared_ptr<const Trace> FakeModel::append(const Trace& trace, const std::vector<int64_t>& ids,
                                               const Progress& progress) const {
  std::vector<int64_t> all = trace.tokens();
  all.insert(all.end(), ids.begin(), ids.end());
  return std::make_shared<FakeTrace>(m_spec, all, static_cast<int64_t>(all.size()), progress);
}

std::shared_ptr<const ui::ModelHandle> FakeLoader::open(const std::string& path,
                                                        std::optional<int64_t> heads) const {
  ++opens;
  const auto it = specs.find(path);
  if (it == specs.end())
    throw Error(ErrorKind::BadFile, path + ": not a PyTorch checkpoint (no zip archive, no pickle)");
  FakeSpec spec = it->second;
  if (needsHeads.count(path)) {
    if (!heads)
      throw Error(ErrorKind::Usage, "heads cannot be inferred for a seed-variant checkpoint: pass --heads");
    const int64_t hidden = spec.heads * spec.headDim;
    if (hidden % *heads != 0)
      throw Error(ErrorKind::Usage, "hidden size " + std::to_string(hidden) + " is not divisible by " +
                                        std::to_string(*heads) + " heads");
    spec.heads = *heads;
    spec.headDim = hidden / *heads;
  }
  return std::make_shared<FakeModel>(spec);
}

}  // namespace maxstate::test
