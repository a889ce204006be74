// Which vocabulary belongs to a checkpoint: training scripts keep it beside the weights; the demo's manifest
// names its own. The explorer and every command find it the same way.
#include <filesystem>

#include "maxstate/error.h"
#include "maxstate/input.h"
#include "maxstate/resources.h"

namespace maxstate {

namespace fs = std::filesystem;

std::vector<std::string> vocabularyCandidates(const std::string& checkpointPath) {
  const fs::path p(checkpointPath);
  const fs::path dir = p.parent_path();
  const std::string stem = p.stem().string();
  return {(dir / (stem + ".vocab.json")).string(), (dir / "open_ash_voc_agent.json").string(),
          (dir / "vocab.json").string(), (dir / "vocabulary.json").string()};
}

namespace {

// The bundled demo whose folder holds the checkpoint, if any (its manifest names vocabulary and tokeniser).
std::optional<DemoInfo> demoHolding(const std::string& checkpointPath) {
  std::error_code ec;
  const fs::path folder = fs::weakly_canonical(fs::absolute(checkpointPath, ec).parent_path(), ec);
  try {
    for (DemoInfo& d : demos())
      if (fs::weakly_canonical(d.dir, ec) == folder) return std::move(d);
  } catch (const Error&) {
    // No demo installed (or a broken one): nothing to find there.
  }
  return std::nullopt;
}

}  // namespace

std::string findVocabularyFor(const std::string& checkpointPath) {
  if (const auto demo = demoHolding(checkpointPath)) return demo->vocabularyPath;
  std::error_code ec;
  for (const std::string& c : vocabularyCandidates(checkpointPath))
    if (fs::is_regular_file(c, ec)) return c;
  return {};
}

VocabularyChoice chooseVocabulary(const std::string& checkpointPath,
                                  const std::optional<std::string>& explicitPath,
                                  std::optional<int64_t> modelVocabSize) {
  VocabularyChoice choice;
  const std::optional<DemoInfo> demo = explicitPath ? std::nullopt : demoHolding(checkpointPath);
  choice.path = explicitPath;
  if (demo) choice.path = demo->vocabularyPath;
  if (!choice.path)
    if (std::string found = findVocabularyFor(checkpointPath); !found.empty()) choice.path = std::move(found);
  if (!choice.path) return choice;
  choice.vocabulary = Vocabulary::load(*choice.path);
  if (modelVocabSize) choice.vocabulary.checkFitsModel(*modelVocabSize);
  choice.tokenizer = demo && !demo->tokenizer.empty() ? parseTokenizer(demo->tokenizer)
                                                      : defaultTokenizer(choice.vocabulary);
  return choice;
}

}  // namespace maxstate
