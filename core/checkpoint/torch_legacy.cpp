// The legacy (non-zip) torch.save format, the default before PyTorch 1.6: five pickles in a row (magic
// number, protocol version, system info, the object, the sorted storage keys), then each storage as an int64
// element count followed by its raw bytes, in key order.
#include <algorithm>
#include <memory>
#include <unordered_map>

#include "checkpoint/byte_reader.h"
#include "checkpoint/formats.h"
#include "checkpoint/torch_pickle_format.h"
#include "maxstate/error.h"

namespace maxstate::detail {
namespace {

// 0x1950a86a20f9469cfc6c, as the pickle's little-endian integer bytes.
constexpr std::string_view kMagic("\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", 10);
constexpr int64_t kProtocolVersion = 1001;

[[noreturn]] void bad(const std::string& what) { throw Error(ErrorKind::BadFile, what); }

}  // namespace

bool looksLikeLegacy(std::string_view bytes) {
  // Protocol >= 2 starts with PROTO; protocol 0/1 files start with the magic number as text.
  return (!bytes.empty() && static_cast<unsigned char>(bytes[0]) == 0x80) ||
         bytes.rfind("L119547037146038801333356", 0) == 0;
}

namespace {

// The five pickles come first; their length is unknown until they have run. They are read from a prefix of
// the file that grows until they fit (or the cap is reached): the storages after them are never read here.
constexpr uint64_t kFirstPrefix = uint64_t{1} << 20;
constexpr uint64_t kMaxPickles = uint64_t{256} << 20;

struct LegacyPickles {
  const PyValue* root = nullptr;
  const PyValue* keys = nullptr;
  size_t end = 0;  // where the storages begin
};

LegacyPickles runPickles(PickleMachine& machine, std::string_view bytes) {
  LegacyPickles out;
  size_t pos = 0;
  const PyValue* magic = machine.run(bytes, pos);
  if (magic->kind != PyKind::BigInt || magic->text != kMagic)
    throw Error(ErrorKind::Unsupported,
                "a Python pickle, but not one written by torch.save (it does not start with PyTorch's magic "
                "number); save the weights with torch.save(model.state_dict(), PATH)");
  const PyValue* protocol = machine.run(bytes, pos);
  if (protocol->kind != PyKind::Int || protocol->integer != kProtocolVersion)
    throw Error(ErrorKind::Unsupported,
                "a legacy PyTorch checkpoint of an unknown protocol version; load and "
                "save it again with a recent PyTorch");
  const PyValue* sysInfo = machine.run(bytes, pos);
  if (sysInfo->kind == PyKind::Dict) {
    const PyValue* little = sysInfo->find("little_endian");
    if (little && little->kind == PyKind::Bool && !little->boolean)
      throw Error(ErrorKind::Unsupported,
                  "a checkpoint saved on a big-endian machine; load and save it again on "
                  "a little-endian one");
  }
  machine.setContext("the checkpoint's main pickle");
  out.root = machine.run(bytes, pos);
  machine.setContext("the checkpoint's storage list");
  out.keys = machine.run(bytes, pos);
  out.end = pos;
  return out;
}

}  // namespace

Checkpoint readTorchLegacy(const Source& source) {
  const uint64_t fileSize = source->size();
  const uint64_t longest = std::min(fileSize, kMaxPickles);
  std::string prefix;
  std::unique_ptr<PickleMachine> machinePtr;
  LegacyPickles pickles;
  for (uint64_t length = std::min(fileSize, kFirstPrefix);; length = std::min(longest, length * 16)) {
    prefix = source->read(0, length);
    machinePtr = std::make_unique<PickleMachine>("the checkpoint's header pickle");
    try {
      pickles = runPickles(*machinePtr, prefix);
      break;
    } catch (const Error&) {
      // Cut short by the prefix? Then try a longer one; otherwise the error stands.
      if (!machinePtr->ranOutOfBytes() || length >= longest) throw;
    }
  }
  PickleMachine& machine = *machinePtr;
  const PyValue* root = pickles.root;
  const PyValue* keys = pickles.keys;
  uint64_t pos = pickles.end;
  if (keys->kind != PyKind::List)
    bad("the storage list is a " + std::string(kindName(keys->kind)) + ", not a list");

  // Element sizes come from the storages' types in the main pickle.
  std::unordered_map<std::string, const StorageDecl*> declared;
  for (const StorageDecl& s : machine.storages()) {
    const auto [it, fresh] = declared.emplace(s.key, &s);
    if (!fresh &&
        (elementSize(it->second->dtype) != elementSize(s.dtype) || it->second->rootNumel != s.rootNumel))
      bad("storage '" + s.key + "' is declared with two different types or sizes");
  }
  std::unordered_map<std::string, std::shared_ptr<const StorageData>> data;
  for (const PyValue* key : keys->items) {
    if (key->kind != PyKind::Str) bad("the storage list holds a " + std::string(kindName(key->kind)));
    const auto it = declared.find(key->text);
    if (it == declared.end()) bad("the data section holds storage '" + key->text + "', which no tensor uses");
    const StorageDecl& s = *it->second;
    if (pos > fileSize || fileSize - pos < 8)
      bad("the file ends before storage '" + s.key + "' (the file is truncated)");
    const auto numel = static_cast<int64_t>(u64At(source->read(pos, 8), 0));
    if (numel != s.rootNumel)
      bad("storage '" + s.key + "' holds " + std::to_string(numel) + " elements in the data section but " +
          std::to_string(s.rootNumel) + " in the pickle");
    const uint64_t size = static_cast<uint64_t>(numel) * static_cast<uint64_t>(elementSize(s.dtype));
    if (fileSize - pos - 8 < size)
      bad("storage '" + s.key + "' needs " + std::to_string(size) +
          " bytes but the file ends first (the file "
          "is truncated)");
    if (!data.emplace(s.key, rangeStorage(source, pos + 8, size)).second)
      bad("the storage list names '" + s.key + "' twice");
    pos += 8 + size;
  }
  return buildFromPickle(CheckpointFormat::TorchLegacy, root, machine, [&](const StorageDecl& s) {
    const auto it = data.find(s.key);
    if (it == data.end())
      throw Error(ErrorKind::BadFile, "the pickle refers to storage '" + s.key +
                                          "', which the data section does not hold (the file is corrupt)");
    return it->second;
  });
}

}  // namespace maxstate::detail
