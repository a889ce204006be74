// libFuzzer target: .safetensors headers and data sections.
#include <cstdint>
#include <string_view>

#include "maxstate/checkpoint.h"
#include "maxstate/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    maxstate::readCheckpointBytes(std::string_view(reinterpret_cast<const char*>(data), size),
                                  "fuzz.safetensors");
  } catch (const maxstate::Error&) {
  }
  return 0;
}
