#include "maxstate/layer.h"

#include "maxstate/error.h"
#include "model/layer_ops.h"
#include "util/tensor_convert.h"

namespace maxstate {

struct Layer::Impl {
  detail::LayerTensors tensors;
};

namespace {

LayerRecord toRecord(detail::LayerResult&& r, int64_t begin) {
  LayerRecord rec;
  rec.begin = begin;
  rec.output = detail::toFloatArray(r.output);
  if (r.state.defined()) rec.state = detail::toFloatArray(r.state);
  if (r.source.defined()) rec.source = detail::toIndexArray(r.source);
  if (r.terms.defined()) rec.terms = detail::toFloatArray(r.terms);
  return rec;
}

}  // namespace

Layer::Layer(const LayerWeights& weights) : m_impl(std::make_unique<Impl>()) {
  m_impl->tensors = detail::makeLayerTensors(weights);
}
Layer::~Layer() = default;
Layer::Layer(Layer&&) noexcept = default;
Layer& Layer::operator=(Layer&&) noexcept = default;

Variant Layer::variant() const { return m_impl->tensors.variant; }
int64_t Layer::dim() const { return m_impl->tensors.dim; }
int64_t Layer::heads() const { return m_impl->tensors.heads; }
int64_t Layer::headDim() const { return m_impl->tensors.headDim; }

LayerRecord Layer::runParallel(const FloatArray& x, RecordOptions options) const {
  at::NoGradGuard noGrad;
  return toRecord(detail::runLayer(m_impl->tensors, detail::toTensor(x), nullptr, options), 0);
}

struct LayerStepper::Impl {
  const Layer* layer = nullptr;
  detail::CarriedState carry;
};

LayerStepper::LayerStepper(const Layer& layer) : m_impl(std::make_unique<Impl>()) { m_impl->layer = &layer; }
LayerStepper::~LayerStepper() = default;
LayerStepper::LayerStepper(LayerStepper&&) noexcept = default;

LayerRecord LayerStepper::step(const FloatArray& xChunk, RecordOptions options) {
  at::NoGradGuard noGrad;
  const int64_t begin = m_impl->carry.position;
  return toRecord(
      detail::runLayer(m_impl->layer->impl().tensors, detail::toTensor(xChunk), &m_impl->carry, options),
      begin);
}

int64_t LayerStepper::position() const { return m_impl->carry.position; }

FloatArray LayerStepper::state() const {
  if (m_impl->carry.empty()) return {};
  return detail::toFloatArray(m_impl->carry.value.view({m_impl->carry.value.size(1), -1}).t());
}
IndexArray LayerStepper::source() const {
  if (m_impl->carry.empty()) return {};
  return detail::toIndexArray(m_impl->carry.source.view({m_impl->carry.source.size(1), -1}).t());
}

}  // namespace maxstate
