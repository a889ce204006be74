#pragma once
// Element types found in checkpoints. Only the four floating types are kept; the others are recognised so
// that their storages can be sized and their entries listed as skipped.
#include <cstdint>
#include <string_view>

#include "maxstate/checkpoint.h"

namespace maxstate::detail {

enum class DType : uint8_t {
  Float32,
  Float16,
  BFloat16,
  Float64,
  Int64,
  Int32,
  Int16,
  Int8,
  UInt8,
  Bool,
  Complex64,
  Complex128,
  QInt8,
  QUInt8,
  QInt32,
  Float8E4M3,
  Float8E5M2,
  UInt16,
  UInt32,
  UInt64,
};

int elementSize(DType t);
bool isFloating(DType t);            // the four types a checkpoint's weights come in
StorageType toStorageType(DType t);  // only for isFloating(t)
const char* dtypeName(DType t);      // "float32", "int64", ...

}  // namespace maxstate::detail
