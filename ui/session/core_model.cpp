#include "ui/session/core_model.h"

#include "maxstate/checkpoint.h"
#include "maxstate/compare.h"
#include "maxstate/error.h"
#include "maxstate/trace.h"
#include "maxstate/whatif.h"
#include "ui/data/view_data.h"

namespace maxstate::ui {

struct CoreModel::Impl {
  explicit Impl(ModelWeights weights) : model(std::move(weights)) {}
  Model model;
  TraceOptions options;  // parallel run (bit for bit PyTorch's), top-10 predictions, logit lens on
};

CoreModel::CoreModel(ModelWeights weights, VocabularyChoice vocabulary)
    : m_impl(std::make_unique<Impl>(std::move(weights))),
      m_vocabulary(std::move(vocabulary.vocabulary)),
      m_defaultTokenizer(vocabulary.tokenizer) {}
CoreModel::~CoreModel() = default;

const ModelInfo& CoreModel::info() const { return m_impl->model.info(); }

std::vector<LayerAlphas> CoreModel::alphas() const {
  std::vector<LayerAlphas> out;
  const ModelWeights& w = m_impl->model.weights();
  for (const DecoderLayerWeights& layer : w.layers) out.push_back(alphasOf(layer, w.info.kind));
  return out;
}

EncodedInput CoreModel::encodeInput(const InputRequest& request) const {
  InputRequest r = request;
  if (!r.tokenizer) r.tokenizer = m_defaultTokenizer;
  return maxstate::encodeInput(r, m_vocabulary, info().vocabSize);
}

std::vector<std::string> CoreModel::labels(const std::vector<int64_t>& ids) const {
  return m_vocabulary.labels(ids);
}

std::vector<std::string> CoreModel::tokenLabels(const std::vector<int64_t>& ids) const {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (int64_t id : ids) out.push_back(m_vocabulary.tokenLabel(id));
  return out;
}

std::vector<std::string> CoreModel::vocabularyTexts() const {
  if (m_vocabulary.format() == VocabularyFormat::RawIds) return {};
  std::vector<std::string> out = m_vocabulary.proxiedCharacters();
  for (int64_t id = 0; id < m_vocabulary.size(); ++id) out.push_back(m_vocabulary.tokenLabel(id));
  return out;
}

std::shared_ptr<const Trace> CoreModel::trace(const std::vector<int64_t>& ids,
                                              const Progress& progress) const {
  return m_impl->model.trace(ids, m_impl->options, progress);
}

std::shared_ptr<const Trace> CoreModel::traceInput(const FloatArray& x, const Progress& progress) const {
  return m_impl->model.traceInput(x, m_impl->options, progress);
}

std::shared_ptr<const Trace> CoreModel::append(const Trace& trace, const std::vector<int64_t>& ids,
                                               const Progress& progress) const {
  return m_impl->model.append(trace, ids, progress);
}

WhatIf CoreModel::whatIf(const std::shared_ptr<const Trace>& base, const std::vector<Edit>& edits,
                         const Progress& progress) const {
  return runWhatIf(m_impl->model, base, edits, {}, progress);
}

Comparison CoreModel::compare(const ModelHandle& other, const std::vector<int64_t>& ids, const FloatArray& x,
                              const Progress& progress) const {
  const auto* b = dynamic_cast<const CoreModel*>(&other);
  if (!b) throw Error(ErrorKind::Usage, "the other checkpoint was not read by the core: open it again");
  return compareRuns(m_impl->model, b->m_impl->model, ids, x, m_impl->options, progress);
}

std::shared_ptr<const ModelHandle> CoreModelLoader::open(const std::string& path,
                                                         std::optional<int64_t> heads) const {
  // loadModel's steps, with messages that speak of the user's answer rather than of a --heads flag. A side
  // file whose heads do not fit comes back as Usage too, so that the explorer asks and the answer replaces
  // it.
  const Checkpoint checkpoint = readCheckpoint(path);
  HeadsHint hint;
  hint.sideFilePath = headsSideFilePath(path);
  if (heads) {
    hint.heads = heads;
    hint.origin = "the number of heads you gave";
  } else if ((hint.heads = readHeadsSideFile(path))) {
    hint.origin = "the side file " + hint.sideFilePath;
  }
  ModelWeights weights = recogniseModel(checkpoint, hint);
  VocabularyChoice vocabulary;
  if (weights.info.kind == ModelKind::Model)
    vocabulary = chooseVocabulary(path, std::nullopt, weights.info.vocabSize);
  return std::make_shared<CoreModel>(std::move(weights), std::move(vocabulary));
}

void CoreModelLoader::rememberHeads(const std::string& path, int64_t heads) const {
  writeHeadsSideFile(path, heads);
}

}  // namespace maxstate::ui
