#pragma once
// Which vocabulary file belongs to a checkpoint. Training scripts keep it beside the weights; the demo's
// manifest names its own.
#include <string>
#include <vector>

namespace maxstate::ui {

// The names looked for in the checkpoint's folder, in order ("<stem>" is the checkpoint's name without its
// extension).
std::vector<std::string> vocabularyCandidates(const std::string& checkpointPath);
// The first candidate that exists, the demo's vocabulary for a demo checkpoint, or "" when there is none.
std::string findVocabularyFor(const std::string& checkpointPath);

}  // namespace maxstate::ui
