#pragma once
// A restricted unpickler: it reads the pickle opcodes (protocols 0-5) that torch.save and torch.jit.save
// write, builds inert objects only, and calls nothing but the allow-listed rebuild functions of
// pickle_globals.h, which it interprets itself. Tensors are recorded as descriptions (TensorDecl) of views
// into storages (StorageDecl); no tensor data is touched here. Every count read from the file is checked
// before it is used.
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "checkpoint/pickle_value.h"
#include "maxstate/array.h"

namespace maxstate::detail {

// A storage named by a persistent id ('storage', <type>, key, location, numel[, view]).
struct StorageDecl {
  DType dtype = DType::Float32;
  std::string key;         // the root storage's key: data/<key> in a zip, the key list in the legacy format
  int64_t numel = 0;       // elements of this storage (of the view, for legacy storage views)
  int64_t rootNumel = 0;   // elements of the root storage
  int64_t viewOffset = 0;  // elements into the root storage (legacy storage views; else 0)
};

struct TensorDecl {
  size_t storage = 0;  // index into PickleMachine::storages()
  int64_t offset = 0;
  Shape shape;
  Shape stride;
};

// Longest integer (in bytes) kept as a value; Python ints in checkpoints are small, except the legacy magic.
inline constexpr size_t kMaxBigIntBytes = 1024;

struct PickleLimits {
  uint32_t maxDepth = 1000;  // CPython itself cannot pickle objects nested deeper
  size_t maxMarks = 1000;
  size_t maxStack = size_t{1} << 22;
  size_t maxObjects = size_t{1} << 22;  // ~400 MB of objects at most; real pickles need far fewer
  size_t maxMemo = size_t{1} << 22;
  size_t maxLine = size_t{1} << 16;  // text opcodes (GLOBAL, INT, ...)
};

class PickleMachine {
 public:
  // `context` names the pickle in messages, e.g. "data.pkl".
  explicit PickleMachine(std::string context, PickleLimits limits = {});

  // Runs the pickle that starts at bytes[pos]; on return pos is just past its STOP opcode.
  // Throws Error(BadFile) naming the problem and the byte offset.
  PyValue* run(std::string_view bytes, size_t& pos);

  const std::vector<StorageDecl>& storages() const { return m_storages; }
  const std::vector<TensorDecl>& tensors() const { return m_tensors; }
  void setContext(std::string context) { m_context = std::move(context); }
  // Whether the last run failed because its bytes ended (a longer prefix of the file might complete it).
  bool ranOutOfBytes() const { return m_ranOut; }

 private:
  [[noreturn]] void fail(const std::string& what) const;
  PyValue* make(PyKind kind);
  void push(PyValue* v);
  PyValue* pop();
  PyValue* top();
  std::vector<PyValue*> popMark();
  void addChild(PyValue* container, PyValue* child);

  std::string_view take(uint64_t n);
  uint64_t readUnsigned(int bytes);
  std::string_view line();

  PyValue* makeInt(int64_t v);
  PyValue* makeBigInt(std::string_view littleEndian);
  PyValue* parseDecimal(std::string_view text);
  PyValue* makeString(PyKind kind, std::string_view s);
  PyValue* makeGlobal(std::string_view module, std::string_view name);
  PyValue* makeSequence(PyKind kind, const std::vector<PyValue*>& items);
  void memoPut(uint64_t index);
  PyValue* memoGet(uint64_t index);

  PyValue* call(PyValue* callable, const std::vector<PyValue*>& args);
  PyValue* newObject(PyValue* cls, const std::vector<PyValue*>& args);
  void build(PyValue* object, PyValue* state);
  PyValue* persistentLoad(PyValue* pid);
  PyValue* rebuildTensor(const std::vector<PyValue*>& args, bool v2);

  int64_t intArg(const PyValue* v, const char* what) const;
  Shape intList(const PyValue* v, const char* what) const;
  const std::vector<PyValue*>& tupleArgs(const PyValue* v, const char* what) const;

  std::string m_context;
  PickleLimits m_limits;
  std::deque<PyValue> m_arena;
  std::vector<PyValue*> m_stack;
  std::vector<size_t> m_marks;
  std::unordered_map<uint64_t, PyValue*> m_memo;
  std::vector<StorageDecl> m_storages;
  std::vector<TensorDecl> m_tensors;
  std::string_view m_bytes;
  size_t m_pos = 0;
  size_t m_opStart = 0;
  bool m_ranOut = false;
};

}  // namespace maxstate::detail
