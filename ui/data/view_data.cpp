#include "ui/data/view_data.h"

#include <cmath>

#include "maxstate/error.h"

namespace maxstate::ui {

RecordShape recordShape(const LayerRecord& r) {
  return {r.begin, r.positions(), r.heads(), r.headDim(), r.termCount()};
}

std::vector<double> sourceShares(const LayerRecord& r, int64_t position, int64_t head) {
  std::vector<double> shares(static_cast<size_t>(position + 1), 0.0);
  const HeadSlice<int64_t> sources = r.sourceOfHead(head);
  if (!r.hasPosition(position) || sources.empty()) return shares;
  const int64_t* src = sources.column(position);
  for (int64_t j = 0; j < sources.headDim; ++j) {
    const int64_t p = src[j];
    // A source is never later than its position; anything else would be a core bug, not something to plot.
    if (p >= 0 && p <= position) shares[static_cast<size_t>(p)] += 1.0 / static_cast<double>(sources.headDim);
  }
  return shares;
}

std::vector<std::vector<double>> sourceSharesAllHeads(const LayerRecord& r, int64_t position) {
  std::vector<std::vector<double>> out;
  for (int64_t h = 0; h < r.heads(); ++h) out.push_back(sourceShares(r, position, h));
  return out;
}

double termMagnitude(const LayerRecord& r, int term, int64_t position, int64_t head) {
  const HeadSlice<float> slice = r.termOfHead(term, head);
  const float* t = slice.column(position);
  double sum = 0;
  for (int64_t j = 0; j < slice.headDim; ++j) sum += static_cast<double>(t[j]) * static_cast<double>(t[j]);
  return std::sqrt(sum);
}

std::vector<std::vector<double>> termMagnitudes(const LayerRecord& r, int64_t head) {
  const RecordShape s = recordShape(r);
  std::vector<std::vector<double>> out(static_cast<size_t>(s.terms));
  for (int t = 0; t < s.terms; ++t) {
    out[static_cast<size_t>(t)].reserve(static_cast<size_t>(s.length));
    for (int64_t p = 0; p < s.length; ++p)
      out[static_cast<size_t>(t)].push_back(termMagnitude(r, t, s.begin + p, head));
  }
  return out;
}

std::vector<double> termBreakdown(const LayerRecord& r, int64_t position, int64_t head) {
  std::vector<double> out;
  if (!r.hasPosition(position)) return out;
  for (int t = 0; t < r.termCount(); ++t) out.push_back(termMagnitude(r, t, position, head));
  return out;
}

QString termName(int term) { return QStringLiteral("T%1").arg(term + 1); }

QString alphaName(AlphaKind k) {
  switch (k) {
    case AlphaKind::Alpha1:
      return QStringLiteral("alpha1");
    case AlphaKind::Alpha2:
      return QStringLiteral("alpha2");
    case AlphaKind::Alpha3:
      return QStringLiteral("alpha3");
    case AlphaKind::Alpha4:
      return QStringLiteral("alpha4");
    case AlphaKind::Residual:
      return QStringLiteral("residual alpha");
  }
  return {};
}

std::optional<float> alphaValue(const LayerAlphas& a, AlphaKind k) {
  switch (k) {
    case AlphaKind::Alpha1:
      return a.alpha1;
    case AlphaKind::Alpha2:
      return a.alpha2;
    case AlphaKind::Alpha3:
      return a.alpha3;
    case AlphaKind::Alpha4:
      return a.alpha4;
    case AlphaKind::Residual:
      return a.residual;
  }
  return std::nullopt;
}

LayerAlphas alphasOf(const DecoderLayerWeights& layer, ModelKind kind) {
  LayerAlphas a;
  a.alpha1 = layer.attention.alpha1;
  a.alpha2 = layer.attention.alpha2;
  a.alpha3 = layer.attention.alpha3;
  // alpha4 exists only in the seed variant (declared there, never used); residual alpha only around a model's
  // layer.
  if (layer.attention.variant == Variant::Seed) a.alpha4 = layer.attention.alpha4;
  if (kind == ModelKind::Model) a.residual = layer.residualAlpha;
  return a;
}

}  // namespace maxstate::ui
