// libFuzzer target: the restricted unpickler and everything after it (state dict lookup, view checks,
// conversion), with storages resolved to a fixed buffer; the same bytes also go through the legacy reader.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "checkpoint/byte_source.h"
#include "checkpoint/pickle_machine.h"
#include "checkpoint/torch_pickle_format.h"
#include "maxstate/checkpoint.h"
#include "maxstate/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace maxstate;
  using namespace maxstate::detail;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  static const auto storage = std::make_shared<const MemorySource>(std::string(4096, '\x3c'), "fuzz.pkl");
  try {
    PickleMachine machine("fuzz.pkl");
    size_t pos = 0;
    const PyValue* root = machine.run(bytes, pos);
    // Storage keys decide how much of the buffer a storage gets: short storages exercise the size checks.
    const Checkpoint c = buildFromPickle(CheckpointFormat::TorchZip, root, machine, [](const StorageDecl& s) {
      return rangeStorage(storage, 0, (s.key.size() * 509) % storage->size());
    });
    for (const auto& [key, t] : c.tensors) t.values();
  } catch (const Error&) {
  }
  try {
    readCheckpointBytes(bytes, "fuzz.pt");
  } catch (const Error&) {
  }
  return 0;
}
