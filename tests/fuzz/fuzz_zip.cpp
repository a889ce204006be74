// libFuzzer target: zip archives (torch.save and torch.jit.save) through the whole reader. In this build CRC
// mismatches are not fatal, so mutations inside data.pkl reach the pickle interpreter.
#include <cstdint>
#include <string_view>

#include "maxstate/checkpoint.h"
#include "maxstate/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    maxstate::readCheckpointBytes(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.pt");
  } catch (const maxstate::Error&) {
  }
  return 0;
}
