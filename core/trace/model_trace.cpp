#include "trace/model_trace.h"

#include "maxstate/error.h"
#include "util/tensor_convert.h"

namespace maxstate::detail {
namespace {

std::vector<Prediction> toPredictions(const at::Tensor& ids, const at::Tensor& probs) {
  const at::Tensor i = ids.contiguous(), p = probs.contiguous();
  std::vector<Prediction> out(static_cast<size_t>(i.numel()));
  for (size_t k = 0; k < out.size(); ++k) {
    out[k].token = i.data_ptr<int64_t>()[k];
    out[k].probability = p.data_ptr<float>()[k];
  }
  return out;
}

}  // namespace

ModelTrace::ModelTrace(std::shared_ptr<const ModelCore> core, const TraceOptions& options,
                       TraceContent content)
    : m_core(std::move(core)),
      m_options(options),
      m_content(std::move(content)),
      m_cache(options.recordCacheBytes) {}

void ModelTrace::checkLayer(int index) const {
  if (index < 0 || index >= layerCount()) {
    throw Error(ErrorKind::Usage, "layer " + std::to_string(index) + " does not exist: the model has " +
                                      std::to_string(layerCount()) + " layer(s), 0.." +
                                      std::to_string(layerCount() - 1));
  }
}

void ModelTrace::checkPosition(int64_t pos) const {
  if (pos < 0 || pos >= length()) {
    throw Error(ErrorKind::Usage, "position " + std::to_string(pos) + " is outside the trace (positions 0.." +
                                      std::to_string(length() - 1) + ")");
  }
}

at::Tensor ModelTrace::stream(int index, int64_t begin, int64_t end) const {
  return gatherRows(m_content.segments, begin, end,
                    [index](const Segment& s) { return s.streams[static_cast<size_t>(index)]; });
}

std::shared_ptr<const LayerRecord> ModelTrace::layer(int index) const {
  checkLayer(index);
  if (auto cached = m_cache.find(index)) return cached;
  std::lock_guard lock(m_computeMutex);
  if (auto cached = m_cache.find(index)) return cached;  // computed by another thread while we waited
  const int64_t T = termCount(m_core->tensors.variant), cells = length() * m_core->tensors.dim;
  m_cache.makeRoom(cells * (T + 2) * int64_t{sizeof(float)} + cells * int64_t{sizeof(int64_t)});
  at::NoGradGuard noGrad;
  // One parallel run over the stored input: for a parallel trace exactly what the prefill computed.
  LayerRunExtras extras;
  if (m_content.edits && !(*m_content.edits)[static_cast<size_t>(index)].empty())
    extras.edits = &(*m_content.edits)[static_cast<size_t>(index)];
  LayerResult r = runLayer(m_core->tensors.layers[static_cast<size_t>(index)].attention,
                           stream(index, 0, length()), nullptr, RecordOptions{}, extras);
  auto record = std::make_shared<LayerRecord>();
  record->output = toFloatArray(r.output);
  record->state = toFloatArray(r.state);
  record->source = toIndexArray(r.source);
  record->terms = toFloatArray(r.terms);
  m_cache.insert(index, record);
  return record;
}

FloatArray ModelTrace::layerInput(int index) const {
  checkLayer(index);
  at::NoGradGuard noGrad;
  return toFloatArray(stream(index, 0, length()));
}

FloatArray ModelTrace::stateNorm(int index) const {
  checkLayer(index);
  at::NoGradGuard noGrad;
  return toFloatArray(gatherRows(m_content.segments, 0, length(), [index](const Segment& s) {
    return s.stateNorms[static_cast<size_t>(index)];
  }));
}

std::vector<Prediction> ModelTrace::predictions(int64_t pos) const {
  checkPosition(pos);
  if (m_core->tensors.kind == ModelKind::Layer) return {};
  at::NoGradGuard noGrad;
  const at::Tensor ids =
      gatherRows(m_content.segments, pos, pos + 1, [](const Segment& s) { return s.topIds; });
  const at::Tensor probs =
      gatherRows(m_content.segments, pos, pos + 1, [](const Segment& s) { return s.topProbs; });
  return toPredictions(ids[0], probs[0]);
}

std::vector<std::vector<Prediction>> ModelTrace::logitLens(int64_t pos) const {
  checkPosition(pos);
  if (m_core->tensors.kind == ModelKind::Layer) return {};
  if (!m_options.logitLens) {
    throw Error(ErrorKind::Usage, "this trace was made without the logit lens (TraceOptions::logitLens)");
  }
  at::NoGradGuard noGrad;
  // The stream after layer l is the input of layer l + 1; after the last layer it is the head's own input.
  std::vector<at::Tensor> rows;
  for (int l = 1; l <= layerCount(); ++l) rows.push_back(stream(l, pos, pos + 1));
  auto [ids, probs] = topPredictions(headLogits(m_core->tensors, at::cat(rows, 0)), m_options.topK);
  std::vector<std::vector<Prediction>> out;
  for (int l = 0; l < layerCount(); ++l) out.push_back(toPredictions(ids[l], probs[l]));
  return out;
}

FloatArray ModelTrace::logits(int64_t begin, int64_t end) const {
  if (m_core->tensors.kind == ModelKind::Layer) {
    throw Error(ErrorKind::Usage, "a bare layer has no head: there are no logits to compute");
  }
  if (begin < 0 || end > length() || begin >= end) {
    throw Error(ErrorKind::Usage, "logits of positions [" + std::to_string(begin) + ", " +
                                      std::to_string(end) + ") asked for: the trace has positions 0.." +
                                      std::to_string(length() - 1));
  }
  at::NoGradGuard noGrad;
  return toFloatArray(headLogits(m_core->tensors, stream(layerCount(), begin, end)));
}

}  // namespace maxstate::detail
