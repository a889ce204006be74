// statsOfTrace: the long-context statistics of a range of an existing trace, read off its layer records
// (plain C++ on the public record layout) and its logits.
#include <algorithm>
#include <cmath>

#include "maxstate/error.h"
#include "maxstate/stats.h"

namespace maxstate {
namespace {

// Rows of logits asked for at once: [rows, V] floats stay small for real vocabularies.
constexpr int64_t kLogitRows = 256;

void addLayer(LongContextStats& s, const Trace& trace, int layer) {
  const std::shared_ptr<const LayerRecord> record = trace.layer(layer);
  const FloatArray norms = trace.stateNorm(layer);  // [S, H], as streamStats computes it
  const int64_t H = record->heads(), dh = record->headDim();
  for (int64_t t = s.begin; t < s.begin + s.length; ++t) {
    for (int64_t h = 0; h < H; ++h) {
      const float* e = record->stateOfHead(h).column(t);
      const int64_t* src = record->sourceOfHead(h).column(t);
      float largest = 0;
      int64_t written = 0, age = 0;
      for (int64_t j = 0; j < dh; ++j) {
        largest = std::max(largest, std::abs(e[j]));
        written += src[j] == t ? 1 : 0;
        age += t - src[j];
      }
      const int64_t at = (static_cast<int64_t>(layer) * s.length + (t - s.begin)) * H + h;
      s.stateNorm[at] = norms.at({t, h});
      s.stateMax[at] = largest;
      s.writeRate[at] = static_cast<float>(static_cast<double>(written) / static_cast<double>(dh));
      s.sourceAge[at] = static_cast<float>(static_cast<double>(age) / static_cast<double>(dh));
    }
  }
}

void addNll(LongContextStats& s, const Trace& trace) {
  const std::vector<int64_t>& ids = trace.tokens();
  const int64_t end = std::min(s.begin + s.length, trace.length() - 1);
  s.nll = FloatArray({std::max<int64_t>(end - s.begin, 0)});
  for (int64_t p = s.begin; p < end; p += kLogitRows) {
    const int64_t rows = std::min(kLogitRows, end - p);
    const FloatArray logits = trace.logits(p, p + rows);
    const int64_t V = logits.dim(1);
    for (int64_t r = 0; r < rows; ++r) {
      const float* row = logits.data() + r * V;
      const double top = *std::max_element(row, row + V);
      double sum = 0;
      for (int64_t v = 0; v < V; ++v) sum += std::exp(row[v] - top);
      const int64_t next = ids[static_cast<size_t>(p + r + 1)];
      s.nll[p + r - s.begin] = static_cast<float>(top + std::log(sum) - row[next]);
    }
  }
}

}  // namespace

LongContextStats statsOfTrace(const Trace& trace, int64_t begin, int64_t end) {
  if (begin < 0 || end > trace.length() || begin >= end) {
    throw Error(ErrorKind::Usage, "positions " + std::to_string(begin) + ".." + std::to_string(end) +
                                      " are not a range of the trace's 0.." + std::to_string(trace.length()));
  }
  LongContextStats s;
  s.begin = begin;
  s.length = end - begin;
  const Shape shape{trace.layerCount(), s.length, trace.info().heads};
  for (FloatArray* a : {&s.stateNorm, &s.stateMax, &s.writeRate, &s.sourceAge}) *a = FloatArray(shape);
  for (int l = 0; l < trace.layerCount(); ++l) addLayer(s, trace, l);
  if (trace.info().kind == ModelKind::Model) addNll(s, trace);
  return s;
}

}  // namespace maxstate
