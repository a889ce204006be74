// libFuzzer target: zip archives (torch.save and torch.jit.save) through the whole reader, every tensor read.
// In this build CRC mismatches are not fatal, so mutations inside data.pkl reach the pickle interpreter.
#include <cstdint>
#include <string_view>

#include "maxstate/checkpoint.h"
#include "maxstate/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const maxstate::Checkpoint c =
        maxstate::readCheckpointBytes(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.pt");
    // Opening reads only declarations: read every tensor too, each on its own (one failing read does not
    // keep the others from being exercised).
    for (const auto& [key, t] : c.tensors) {
      try {
        t.values();
      } catch (const maxstate::Error&) {
      }
    }
  } catch (const maxstate::Error&) {
  }
  return 0;
}
