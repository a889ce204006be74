#pragma once
// The bundled demo (resources/demo, made by tools/train_demo.py): small models of both layer variants trained
// on the GPL-3 text, checkpoints from several training steps, their vocabulary and a default text. The CLI
// and the explorer open it when no file is given.
//
// Lookup order for the data folder holding demo/: $MAXSTATE_DATA_DIR; <folder of the executable>/../share/
// maxstate-explorer (the installed layout); the source tree's resources/ (compiled in, for build trees).
#include <cstdint>
#include <string>
#include <vector>

namespace maxstate {

struct DemoCheckpoint {
  std::string path;     // absolute
  std::string variant;  // "openash" or "seed"
  int64_t step = 0;     // the training step it was saved at
  int64_t heads = 0;
  double demoTextLoss = 0;  // cross entropy on the demo text (nats per token) of the saved fp16 weights
};

// Data folders in lookup order (those that are set; they need not exist).
std::vector<std::string> dataDirCandidates();
// The demo/ folder of the first of `dataDirs` that has one with a manifest (demo.json). Throws Error(BadFile)
// listing the folders it looked in.
std::string findDemoDir(const std::vector<std::string>& dataDirs);
std::string demoDir();  // findDemoDir(dataDirCandidates())

// Paths inside demoDir(), read from its manifest; each throws Error(BadFile) if the file is missing.
std::string demoModelPath();  // the default model: the last OpenASH-variant checkpoint
std::string demoVocabularyPath();
std::string demoTextPath();
std::string demoText();                         // the content of demoTextPath()
std::vector<DemoCheckpoint> demoCheckpoints();  // per variant, in training order

}  // namespace maxstate
