#pragma once
// The bundled demo (resources/demo, made by tools/train_demo.py): small models of both layer variants trained
// on the GPL-3 text, checkpoints from several training steps, their vocabulary and a default text. The CLI
// and the explorer open it when no file is given. Its manifest lists further demos (e.g. the Chinese one in
// demo/zh), each a subfolder with a manifest of its own (resources/demo/README.md describes the fields).
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

// One demo: a model, its vocabulary and the inputs to show it on. Paths are absolute; optional ones are empty
// when the manifest does not name them.
struct DemoInfo {
  std::string name;   // "en", "zh", ...: what tests and scripts call it
  std::string title;  // for menus: "English: the GPL-3 licence"
  std::string dir;
  std::string modelPath;  // the default model
  std::string vocabularyPath;
  std::string textPath;          // a short text seen in training
  std::string longTextPath;      // optional: a text far longer than the training length
  std::string longTextIdsPath;   // optional: a JSON list, the long text as the demo's tokenizer codes it
  std::string chatPath;          // optional: a JSON list of messages (SPEC 4.2)
  std::string tokenizer;         // how the demo's texts were coded: "openash" (jieba, SPEC 4.1) or "longest"
  std::vector<int64_t> textIds;  // optional: the short text's ids as the demo's tokenizer codes it
  std::vector<int64_t> chatIds;  // optional: the chat's ids (SPEC 4.2, ending with the assistant opener)
  int64_t trainLength = 0;       // the length of the training windows; 0 when the manifest does not say
  std::vector<DemoCheckpoint> checkpoints;
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

// Every demo: the main one (the default, from demo.json itself) first, then those its "demos" list names, in
// that order. Throws Error(BadFile) naming the manifest and the field or file that is wrong.
std::vector<DemoInfo> demos();
// The demo of that name, or Error(BadFile) listing the names there are.
DemoInfo demo(const std::string& name);

}  // namespace maxstate
