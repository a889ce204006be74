#pragma once
// The MaxStateSuper layer (SPEC.md section 1): a parallel run over a whole sequence and a step run that
// carries the state, both recording states, sources, terms and outputs for every position.
#include <memory>

#include "maxstate/array.h"

namespace maxstate {

enum class Variant { Seed, OpenAsh };
const char* variantName(Variant v);  // "seed" / "openash"
int termCount(Variant v);            // 5 / 6

struct LayerWeights {
  Variant variant = Variant::OpenAsh;
  int64_t heads = 0;
  FloatArray combined;  // [4d, d]
  float alpha1 = 0.5f, alpha2 = 0.5f, alpha3 = 0.5f;
  float alpha4 = 0.5f;    // seed variant: declared and never used
  FloatArray headLinear;  // [H, 5H], OpenASH variant only

  int64_t dim() const { return combined.ndim() == 2 ? combined.dim(1) : 0; }
  int64_t headDim() const { return heads > 0 ? dim() / heads : 0; }
};

// What a run keeps. The output is always kept: it is the next layer's input.
struct RecordOptions {
  bool stateAndSource = true;
  bool terms = true;
};

// One head of a [S, H, dh] array (state, source, or one term of [T, S, H, dh]) without copying, in the spirit
// of a dense 3-D model: element (position, channel) and the head's dh channels at a position (contiguous).
// Positions are global: `begin` is the record's first.
template <class T>
struct HeadSlice {
  const T* data = nullptr;  // position `begin`, this head, channel 0
  int64_t begin = 0, length = 0, headDim = 0;
  int64_t stride = 0;  // between positions: H * dh

  bool empty() const { return data == nullptr || length == 0; }
  int64_t end() const { return begin + length; }
  const T* column(int64_t position) const { return data + (position - begin) * stride; }  // dh values
  const T& at(int64_t position, int64_t channel) const { return column(position)[channel]; }
};

// Everything one run records for positions [begin, begin + S). The accessors below are the one place that
// knows the layout: views and exporters ask them instead of computing offsets.
struct LayerRecord {
  int64_t begin = 0;
  FloatArray state;   // [S, H, dh]  running maximum of branch c
  IndexArray source;  // [S, H, dh]  global position of the token whose value the state holds
  FloatArray terms;   // [T, S, H, dh]  T1..T5 (seed) or T1..T6 (openash), SPEC order
  FloatArray output;  // [S, d]  as the PyTorch module returns it: channel j*H + h
  int64_t length() const { return output.ndim() == 2 ? output.dim(0) : 0; }

  // Shape of the recorded arrays (0 when the run did not record them).
  int64_t positions() const {
    return state.ndim() == 3 ? state.dim(0) : (terms.ndim() == 4 ? terms.dim(1) : 0);
  }
  int64_t end() const { return begin + positions(); }
  int64_t heads() const { return state.ndim() == 3 ? state.dim(1) : (terms.ndim() == 4 ? terms.dim(2) : 0); }
  int64_t headDim() const {
    return state.ndim() == 3 ? state.dim(2) : (terms.ndim() == 4 ? terms.dim(3) : 0);
  }
  int termCount() const { return terms.ndim() == 4 ? static_cast<int>(terms.dim(0)) : 0; }
  bool hasPosition(int64_t position) const { return position >= begin && position < end(); }

  // Head slices: one head's [S, dh] of the state, the sources, or term t (0-based: T1 is 0).
  HeadSlice<float> stateOfHead(int64_t head) const { return sliceOf(state, 0, head); }
  HeadSlice<int64_t> sourceOfHead(int64_t head) const { return sliceOf(source, 0, head); }
  HeadSlice<float> termOfHead(int term, int64_t head) const {
    return terms.ndim() == 4 ? sliceOf(terms, term, head) : HeadSlice<float>{};
  }
  // Single values at (position, head, channel).
  float stateAt(int64_t position, int64_t head, int64_t channel) const {
    return stateOfHead(head).at(position, channel);
  }
  int64_t sourceAt(int64_t position, int64_t head, int64_t channel) const {
    return sourceOfHead(head).at(position, channel);
  }
  float termAt(int term, int64_t position, int64_t head, int64_t channel) const {
    return termOfHead(term, head).at(position, channel);
  }
  // The position column: every head's state at one position, [H, dh] row-major (H * dh contiguous values).
  const float* stateColumn(int64_t position) const {
    return state.data() + (position - begin) * heads() * headDim();
  }

 private:
  // [S, H, dh] when `array` has 3 dimensions, [T, S, H, dh] (term `term`) when it has 4.
  template <class T>
  HeadSlice<T> sliceOf(const Array<T>& array, int term, int64_t head) const {
    const int lead = array.ndim() - 3;
    if (lead < 0 || array.empty()) return {};
    const int64_t S = array.dim(lead), H = array.dim(lead + 1), dh = array.dim(lead + 2);
    return {array.data() + (static_cast<int64_t>(term) * S * H + head) * dh, begin, S, dh, H * dh};
  }
};

class Layer {
 public:
  // Validates shapes; throws Error(Shape) naming the tensor and the shape expected.
  explicit Layer(const LayerWeights& weights);
  ~Layer();
  Layer(Layer&&) noexcept;
  Layer& operator=(Layer&&) noexcept;

  Variant variant() const;
  int64_t dim() const;
  int64_t heads() const;
  int64_t headDim() const;

  // x: [S, d] float32. One cummax over the whole sequence.
  LayerRecord runParallel(const FloatArray& x, RecordOptions options = {}) const;

  struct Impl;
  const Impl& impl() const { return *m_impl; }

 private:
  std::unique_ptr<Impl> m_impl;
};

// Runs a layer a chunk at a time, carrying the state (and its sources) between chunks:
// cost per token is O(1) in the length of the history.
class LayerStepper {
 public:
  explicit LayerStepper(const Layer& layer);
  ~LayerStepper();
  LayerStepper(LayerStepper&&) noexcept;

  // xChunk: [n, d] with n >= 1. Returns the record for positions [position(), position() + n).
  LayerRecord step(const FloatArray& xChunk, RecordOptions options = {});
  int64_t position() const;
  // The carried state and its sources, [H, dh] each; empty before the first step.
  FloatArray state() const;
  IndexArray source() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> m_impl;
};

}  // namespace maxstate
