#pragma once
// One open checkpoint as the UI sees it: what it is, its alphas, how to turn input into ids and labels, and
// how to trace. An interface so that the session and the views can be exercised against a test double; the
// real implementation (core_model.h) forwards to the core.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "maxstate/architecture.h"
#include "maxstate/compare.h"
#include "maxstate/error.h"
#include "maxstate/input.h"
#include "maxstate/trace.h"
#include "maxstate/whatif.h"

namespace maxstate::ui {

// One layer's learned scalars; absent ones (alpha4 outside the seed variant, residual for a bare layer) are
// empty.
struct LayerAlphas {
  std::optional<float> alpha1, alpha2, alpha3, alpha4, residual;
};

class ModelHandle {
 public:
  virtual ~ModelHandle() = default;
  virtual const ModelInfo& info() const = 0;
  virtual std::vector<LayerAlphas> alphas() const = 0;

  // The ids of an input (maxstate::encodeInput with the checkpoint's vocabulary: text, chats and ids alike,
  // checked against the model). Throws maxstate::Error with a clear message.
  // A request without a tokeniser gets defaultTokenizer().
  virtual EncodedInput encodeInput(const InputRequest& request) const = 0;
  // What text is tokenised with when the user does not choose (the vocabulary's, or its demo's).
  virtual Tokenizer defaultTokenizer() const = 0;
  // One display label per position of a sequence (proxy groups read in context).
  virtual std::vector<std::string> labels(const std::vector<int64_t>& ids) const = 0;
  // One label per id, each read on its own (e.g. predicted next tokens).
  virtual std::vector<std::string> tokenLabels(const std::vector<int64_t>& ids) const = 0;
  // Everything the vocabulary can put on screen (every id's label and every proxied character), for the check
  // that installed fonts can draw it; and the file it came from. Empty without a vocabulary.
  virtual std::vector<std::string> vocabularyTexts() const { return {}; }
  virtual std::string vocabularySource() const { return {}; }

  // Whole models: trace ids. Bare layers: trace an input [S, d].
  virtual std::shared_ptr<const Trace> trace(const std::vector<int64_t>& ids,
                                             const Progress& progress) const = 0;
  virtual std::shared_ptr<const Trace> traceInput(const FloatArray& x, const Progress& progress) const = 0;
  // Extends `trace` step by step with more ids (models only).
  virtual std::shared_ptr<const Trace> append(const Trace& trace, const std::vector<int64_t>& ids,
                                              const Progress& progress) const = 0;
  // What if? Runs `edits` on `base`, a trace of this checkpoint (maxstate::runWhatIf). Error(Usage) saying
  // what is wrong for an edit that does not fit.
  virtual WhatIf whatIf(const std::shared_ptr<const Trace>& base, const std::vector<Edit>& edits,
                        const Progress& progress) const {
    (void)base, (void)edits, (void)progress;
    throw Error(ErrorKind::Usage, "this checkpoint cannot run what-if edits");
  }
  // Compares this checkpoint (A) with `other` (B) on one input: ids for models, `x` [S, d] for bare layers
  // (maxstate::compareRuns). Error(Shape) naming what differs when they are not of one architecture.
  virtual Comparison compare(const ModelHandle& other, const std::vector<int64_t>& ids, const FloatArray& x,
                             const Progress& progress) const {
    (void)other, (void)ids, (void)x, (void)progress;
    throw Error(ErrorKind::Usage, "this checkpoint cannot be compared with another");
  }
};

// Opens checkpoints. `heads` is the user's answer when the file does not say; throws maxstate::Error.
class ModelLoader {
 public:
  virtual ~ModelLoader() = default;
  virtual std::shared_ptr<const ModelHandle> open(const std::string& path,
                                                  std::optional<int64_t> heads) const = 0;
  // Remembers the user's answer for next time (the side file `<checkpoint>.json`).
  virtual void rememberHeads(const std::string& path, int64_t heads) const = 0;
};

}  // namespace maxstate::ui
