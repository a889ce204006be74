#pragma once
// The ModelHandle and ModelLoader the application uses: checkpoints through the core's reader, recognition,
// model and vocabulary (no torch here: the core's public API only).
#include <memory>
#include <string>

#include "maxstate/vocabulary.h"
#include "ui/session/model_handle.h"

namespace maxstate::ui {

class CoreModel : public ModelHandle {
 public:
  // `vocabulary` is Vocabulary::rawIds() when the checkpoint has none.
  CoreModel(ModelWeights weights, VocabularyChoice vocabulary);
  ~CoreModel() override;

  const ModelInfo& info() const override;
  std::vector<LayerAlphas> alphas() const override;
  EncodedInput encodeInput(const InputRequest& request) const override;
  Tokenizer defaultTokenizer() const override { return m_defaultTokenizer; }
  const Vocabulary& vocabulary() const { return m_vocabulary; }
  std::vector<std::string> labels(const std::vector<int64_t>& ids) const override;
  std::vector<std::string> tokenLabels(const std::vector<int64_t>& ids) const override;
  std::vector<std::string> vocabularyTexts() const override;
  std::string vocabularySource() const override { return m_vocabulary.source(); }
  std::shared_ptr<const Trace> trace(const std::vector<int64_t>& ids,
                                     const Progress& progress) const override;
  std::shared_ptr<const Trace> traceInput(const FloatArray& x, const Progress& progress) const override;
  std::shared_ptr<const Trace> append(const Trace& trace, const std::vector<int64_t>& ids,
                                      const Progress& progress) const override;
  WhatIf whatIf(const std::shared_ptr<const Trace>& base, const std::vector<Edit>& edits,
                const Progress& progress) const override;
  Comparison compare(const ModelHandle& other, const std::vector<int64_t>& ids, const FloatArray& x,
                     const Progress& progress) const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  Vocabulary m_vocabulary;
  Tokenizer m_defaultTokenizer;
};

class CoreModelLoader : public ModelLoader {
 public:
  std::shared_ptr<const ModelHandle> open(const std::string& path,
                                          std::optional<int64_t> heads) const override;
  void rememberHeads(const std::string& path, int64_t heads) const override;
};

}  // namespace maxstate::ui
