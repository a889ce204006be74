#pragma once
// A test double of the core for UI tests that must control timing and failures (slow traces to cancel, files
// that fail, checkpoints that need heads). Its arrays follow the core's layouts and semantics (cummax state,
// latest-index sources), so views can be checked against them exactly as against the real core.
#include <atomic>
#include <map>
#include <set>
#include <string>

#include "ui/session/model_handle.h"

namespace maxstate::test {

struct FakeSpec {
  ModelKind kind = ModelKind::Model;
  Variant variant = Variant::OpenAsh;
  int layers = 2;
  int64_t heads = 4;
  int64_t headDim = 8;
  int64_t vocab = 128;
  float alphaShift = 0;     // moves every alpha, to tell checkpoints apart
  int sleepPerTokenMs = 0;  // makes traces slow enough to cancel
};

class FakeTrace : public Trace {
 public:
  FakeTrace(const FakeSpec& spec, std::vector<int64_t> ids, int64_t length, const Progress& progress);
  const ModelInfo& info() const override { return m_info; }
  int64_t length() const override { return m_length; }
  int layerCount() const override { return static_cast<int>(m_records.size()); }
  const std::vector<int64_t>& tokens() const override { return m_ids; }
  std::shared_ptr<const LayerRecord> layer(int index) const override {
    return m_records.at(static_cast<size_t>(index));
  }
  FloatArray layerInput(int) const override { return FloatArray({m_length, m_info.hidden}); }
  FloatArray stateNorm(int index) const override;
  std::vector<Prediction> predictions(int64_t pos) const override;
  std::vector<std::vector<Prediction>> logitLens(int64_t pos) const override;
  FloatArray logits(int64_t begin, int64_t end) const override {
    return FloatArray({end - begin, m_info.hidden});
  }
  const TraceOptions& options() const override { return m_options; }
  std::vector<int> cachedLayers() const override { return {}; }

 private:
  ModelInfo m_info;
  TraceOptions m_options;
  std::vector<int64_t> m_ids;
  int64_t m_length;
  std::vector<std::shared_ptr<const LayerRecord>> m_records;
};

class FakeModel : public ui::ModelHandle {
 public:
  explicit FakeModel(FakeSpec spec);
  const ModelInfo& info() const override { return m_info; }
  std::vector<ui::LayerAlphas> alphas() const override;
  // Ids as typed; text: one id per byte (no tokeniser); chats are not offered.
  EncodedInput encodeInput(const InputRequest& request) const override;
  Tokenizer defaultTokenizer() const override { return Tokenizer::Longest; }
  std::vector<std::string> labels(const std::vector<int64_t>& ids) const override;
  std::vector<std::string> tokenLabels(const std::vector<int64_t>& ids) const override { return labels(ids); }
  std::shared_ptr<const Trace> trace(const std::vector<int64_t>& ids,
                                     const Progress& progress) const override;
  std::shared_ptr<const Trace> traceInput(const FloatArray& x, const Progress& progress) const override;
  std::shared_ptr<const Trace> append(const Trace& trace, const std::vector<int64_t>& ids,
                                      const Progress& progress) const override;
  const FakeSpec& spec() const { return m_spec; }

 private:
  FakeSpec m_spec;
  ModelInfo m_info;
};

// Paths map to specs; a path named in `bad` fails like a corrupt file; one in `needsHeads` fails like a seed
// checkpoint until heads are given (and then the heads must divide the hidden size).
class FakeLoader : public ui::ModelLoader {
 public:
  std::map<std::string, FakeSpec> specs;
  std::set<std::string> needsHeads;
  mutable std::map<std::string, int64_t> remembered;
  mutable std::atomic<int> opens{0};

  std::shared_ptr<const ui::ModelHandle> open(const std::string& path,
                                              std::optional<int64_t> heads) const override;
  void rememberHeads(const std::string& path, int64_t heads) const override { remembered[path] = heads; }
};

}  // namespace maxstate::test
