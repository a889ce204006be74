// The callables a checkpoint's pickle may invoke (REDUCE, NEWOBJ, BUILD, persistent ids): only the
// allow-listed globals of pickle_globals.h, each checked for the arguments it takes. The opcode loop is
// pickle_machine.cpp.
#include <algorithm>
#include <cstring>

#include "checkpoint/byte_reader.h"
#include "checkpoint/pickle_globals.h"
#include "checkpoint/pickle_machine.h"
#include "checkpoint/tensor_view.h"
#include "maxstate/error.h"

namespace maxstate::detail {

int64_t PickleMachine::intArg(const PyValue* v, const char* what) const {
  if (v->kind == PyKind::Int) return v->integer;
  if (v->kind == PyKind::Bool) return v->boolean ? 1 : 0;
  if (v->kind == PyKind::BigInt) fail(std::string(what) + " is an integer beyond 64 bits");
  fail(std::string(what) + " is a " + kindName(v->kind) + ", not an int");
}

Shape PickleMachine::intList(const PyValue* v, const char* what) const {
  if (!v->isSequence()) fail(std::string(what) + " is a " + kindName(v->kind) + ", not a tuple of ints");
  if (v->items.size() > kMaxDims)
    fail(std::string(what) + " has " + std::to_string(v->items.size()) + " entries");
  Shape out;
  out.reserve(v->items.size());
  for (const PyValue* item : v->items) out.push_back(intArg(item, what));
  return out;
}

const std::vector<PyValue*>& PickleMachine::tupleArgs(const PyValue* v, const char* what) const {
  if (!v->isSequence()) fail(std::string(what) + " is a " + kindName(v->kind) + ", not a tuple");
  return v->items;
}

PyValue* PickleMachine::persistentLoad(PyValue* pid) {
  // torch.save: ('storage', torch.FloatStorage, key, location, numel); the legacy format adds a view:
  // None or (view_key, offset, view_numel).
  if (!pid->isSequence() || pid->items.size() < 5 || pid->items[0]->kind != PyKind::Str ||
      pid->items[0]->text != "storage")
    fail("a persistent id that is not a PyTorch storage reference");
  const PyValue* type = pid->items[1];
  if (type->kind != PyKind::Global || static_cast<GlobalId>(type->integer) != GlobalId::StorageType)
    fail("a storage reference whose type is a " + std::string(kindName(type->kind)) + ", not a storage type");
  const PyValue* key = pid->items[2];
  if (key->kind != PyKind::Str && key->kind != PyKind::Int) fail("a storage reference without a key");
  StorageDecl s;
  s.dtype = type->dtype;
  s.key = key->kind == PyKind::Str ? key->text : std::to_string(key->integer);
  s.rootNumel = intArg(pid->items[4], "a storage's size");
  int64_t bytes = 0;
  if (!mulWithin(s.rootNumel, elementSize(s.dtype), kMaxElements * 16, bytes))
    fail("storage '" + s.key + "' claims " + std::to_string(s.rootNumel) + " elements");
  s.numel = s.rootNumel;
  if (pid->items.size() >= 6 && pid->items[5]->kind != PyKind::None) {
    const auto& view = tupleArgs(pid->items[5], "a storage view");
    if (view.size() != 3) fail("a storage view that is not (key, offset, size)");
    s.viewOffset = intArg(view[1], "a storage view's offset");
    s.numel = intArg(view[2], "a storage view's size");
    int64_t end = 0;
    if (s.viewOffset < 0 || s.numel < 0 || !addWithin(s.viewOffset, s.numel, s.rootNumel, end))
      fail("storage view of '" + s.key + "' at offset " + std::to_string(s.viewOffset) + " with " +
           std::to_string(s.numel) + " elements lies outside its storage of " + std::to_string(s.rootNumel));
  }
  PyValue* p = make(PyKind::Storage);
  p->integer = static_cast<int64_t>(m_storages.size());
  p->dtype = s.dtype;
  m_storages.push_back(std::move(s));
  return p;
}

PyValue* PickleMachine::rebuildTensor(const std::vector<PyValue*>& args, bool v2) {
  if (args.size() < (v2 ? 6u : 4u) || args.size() > 7)
    fail("a tensor rebuilt from " + std::to_string(args.size()) + " arguments");
  if (args[0]->kind != PyKind::Storage)
    fail("a tensor whose storage is a " + std::string(kindName(args[0]->kind)));
  TensorDecl t;
  t.storage = static_cast<size_t>(args[0]->integer);
  t.offset = intArg(args[1], "a tensor's storage offset");
  t.shape = intList(args[2], "a tensor's size");
  t.stride = intList(args[3], "a tensor's stride");
  const StorageDecl& s = m_storages[t.storage];
  int64_t numel = 0;
  const std::string problem = checkView(t.shape, t.stride, t.offset, s.numel, s.dtype, numel);
  if (!problem.empty()) fail(problem + " (storage '" + s.key + "')");
  PyValue* p = make(PyKind::Tensor);
  p->integer = static_cast<int64_t>(m_tensors.size());
  p->dtype = s.dtype;
  m_tensors.push_back(std::move(t));
  return p;
}

PyValue* PickleMachine::call(PyValue* callable, const std::vector<PyValue*>& args) {
  if (callable->kind != PyKind::Global) fail("it calls a " + std::string(kindName(callable->kind)));
  const auto id = static_cast<GlobalId>(callable->integer);
  auto expectArgs = [&](size_t lo, size_t hi) {
    if (args.size() < lo || args.size() > hi)
      fail(callable->text + " called with " + std::to_string(args.size()) + " arguments");
  };
  switch (id) {
    case GlobalId::OrderedDict: {
      expectArgs(0, 1);
      PyValue* d = make(PyKind::Dict);
      if (args.size() == 1) {  // OrderedDict([(key, value), ...])
        for (PyValue* pair : tupleArgs(args[0], "OrderedDict's argument")) {
          if (!pair->isSequence() || pair->items.size() != 2) fail("OrderedDict built from a non-pair");
          d->items.push_back(pair->items[0]);
          d->items.push_back(pair->items[1]);
          addChild(d, pair->items[0]);
          addChild(d, pair->items[1]);
        }
      }
      return d;
    }
    case GlobalId::RebuildTensorV2:
      return rebuildTensor(args, true);
    case GlobalId::RebuildTensor:
      return rebuildTensor(args, false);
    case GlobalId::RebuildParameter:
    case GlobalId::RebuildParameterWithState:
    case GlobalId::ParameterType:
      expectArgs(1, 4);
      if (args[0]->kind != PyKind::Tensor)
        fail("a parameter made of a " + std::string(kindName(args[0]->kind)));
      return args[0];
    case GlobalId::RebuildFromTypeV2: {
      // (func, new_type, args, state): only plain tensors and parameters, rebuilt by an allow-listed
      // function.
      expectArgs(4, 4);
      const PyValue* type = args[1];
      if (type->kind != PyKind::Global || (static_cast<GlobalId>(type->integer) != GlobalId::TensorType &&
                                           static_cast<GlobalId>(type->integer) != GlobalId::ParameterType))
        fail("a tensor of the unsupported subclass " + (type->kind == PyKind::Global ? type->text : "?"));
      return call(args[0], tupleArgs(args[2], "the rebuild arguments"));
    }
    case GlobalId::Device:
    case GlobalId::TorchScriptClass:
    case GlobalId::InertData: {
      PyValue* o = make(PyKind::Object);
      o->text = callable->text;
      o->items = args;
      for (PyValue* a : args) addChild(o, a);
      return o;
    }
    case GlobalId::TorchSize:
      expectArgs(0, 1);
      return args.empty() ? make(PyKind::Tuple)
                          : makeSequence(PyKind::Tuple, tupleArgs(args[0], "torch.Size"));
    case GlobalId::JitListBuilder:
      expectArgs(1, 1);
      if (!args[0]->isSequence()) fail(callable->text + " of a " + kindName(args[0]->kind));
      return args[0];
    case GlobalId::JitRestoreTypeTag:
      expectArgs(1, 2);
      return args[0];
    case GlobalId::CodecsEncode: {
      expectArgs(1, 2);
      if (args[0]->kind != PyKind::Str) fail("_codecs.encode of a " + std::string(kindName(args[0]->kind)));
      // Protocol 2 writes bytes as their latin-1 decoding: map the code points back to single bytes.
      std::string out;
      const std::string& s = args[0]->text;
      for (size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
          out += static_cast<char>(c);
        } else if ((c == 0xc2 || c == 0xc3) && i + 1 < s.size()) {
          out += static_cast<char>(((c & 0x1f) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3f));
          ++i;
        } else {
          fail("_codecs.encode of text that is not latin-1");
        }
      }
      return makeString(PyKind::Bytes, out);
    }
    case GlobalId::Set:
    case GlobalId::FrozenSet:
      expectArgs(0, 1);
      return args.empty() ? make(PyKind::Set)
                          : makeSequence(PyKind::Set, tupleArgs(args[0], "a set's items"));
    case GlobalId::TensorType:
    case GlobalId::StorageType:
    case GlobalId::TorchDtype:
      break;
  }
  fail("it calls " + callable->text + ", which a checkpoint does not call");
}

PyValue* PickleMachine::newObject(PyValue* cls, const std::vector<PyValue*>& args) {
  if (cls->kind == PyKind::Global) {
    const auto id = static_cast<GlobalId>(cls->integer);
    if (id == GlobalId::OrderedDict) return make(PyKind::Dict);  // cls.__new__(cls): an empty dict
    if (id == GlobalId::Set) return make(PyKind::Set);
  }
  return call(cls, args);
}

void PickleMachine::build(PyValue* object, PyValue* state) {
  switch (object->kind) {
    case PyKind::Object:  // TorchScript modules' attributes, inert data's state
      object->state = state;
      addChild(object, state);
      return;
    case PyKind::Dict:    // an OrderedDict's attributes (state_dict()'s _metadata): not needed
    case PyKind::Tensor:  // a parameter's extra attributes
      return;
    default:
      fail("BUILD on a " + std::string(kindName(object->kind)));
  }
}

}  // namespace maxstate::detail
