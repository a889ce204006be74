#include "ui/session/vocabulary_lookup.h"

#include <filesystem>

#include "maxstate/resources.h"

namespace maxstate::ui {

namespace fs = std::filesystem;

std::vector<std::string> vocabularyCandidates(const std::string& checkpointPath) {
  const fs::path p(checkpointPath);
  const fs::path dir = p.parent_path();
  const std::string stem = p.stem().string();
  return {(dir / (stem + ".vocab.json")).string(), (dir / "open_ash_voc_agent.json").string(),
          (dir / "vocab.json").string(), (dir / "vocabulary.json").string()};
}

std::string findVocabularyFor(const std::string& checkpointPath) {
  std::error_code ec;
  for (const std::string& c : vocabularyCandidates(checkpointPath))
    if (fs::is_regular_file(c, ec)) return c;
  // A demo checkpoint: the manifest names the vocabulary.
  try {
    const fs::path demo = fs::weakly_canonical(demoDir(), ec);
    const fs::path folder = fs::weakly_canonical(fs::path(checkpointPath).parent_path(), ec);
    if (!demo.empty() && folder == demo) return demoVocabularyPath();
  } catch (const std::exception&) {
    // No demo installed: nothing to find there.
  }
  return {};
}

}  // namespace maxstate::ui
