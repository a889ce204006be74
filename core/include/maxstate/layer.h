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
  FloatArray combined;    // [4d, d]
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

// Everything one run records for positions [begin, begin + S).
struct LayerRecord {
  int64_t begin = 0;
  FloatArray state;   // [S, H, dh]  running maximum of branch c
  IndexArray source;  // [S, H, dh]  global position of the token whose value the state holds
  FloatArray terms;   // [T, S, H, dh]  T1..T5 (seed) or T1..T6 (openash), SPEC order
  FloatArray output;  // [S, d]  as the PyTorch module returns it: channel j*H + h
  int64_t length() const { return output.ndim() == 2 ? output.dim(0) : 0; }
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
