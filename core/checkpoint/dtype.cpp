#include "checkpoint/dtype.h"

namespace maxstate::detail {

int elementSize(DType t) {
  switch (t) {
    case DType::Float64:
    case DType::Int64:
    case DType::Complex64:
    case DType::UInt64:
      return 8;
    case DType::Float32:
    case DType::Int32:
    case DType::QInt32:
    case DType::UInt32:
      return 4;
    case DType::Float16:
    case DType::BFloat16:
    case DType::Int16:
    case DType::UInt16:
      return 2;
    case DType::Complex128:
      return 16;
    default:
      return 1;
  }
}

bool isFloating(DType t) {
  return t == DType::Float32 || t == DType::Float16 || t == DType::BFloat16 || t == DType::Float64;
}

StorageType toStorageType(DType t) {
  switch (t) {
    case DType::Float16:
      return StorageType::Float16;
    case DType::BFloat16:
      return StorageType::BFloat16;
    case DType::Float64:
      return StorageType::Float64;
    default:
      return StorageType::Float32;
  }
}

const char* dtypeName(DType t) {
  switch (t) {
    case DType::Float32:
      return "float32";
    case DType::Float16:
      return "float16";
    case DType::BFloat16:
      return "bfloat16";
    case DType::Float64:
      return "float64";
    case DType::Int64:
      return "int64";
    case DType::Int32:
      return "int32";
    case DType::Int16:
      return "int16";
    case DType::Int8:
      return "int8";
    case DType::UInt8:
      return "uint8";
    case DType::Bool:
      return "bool";
    case DType::Complex64:
      return "complex64";
    case DType::Complex128:
      return "complex128";
    case DType::QInt8:
      return "qint8";
    case DType::QUInt8:
      return "quint8";
    case DType::QInt32:
      return "qint32";
    case DType::Float8E4M3:
      return "float8_e4m3fn";
    case DType::Float8E5M2:
      return "float8_e5m2";
    case DType::UInt16:
      return "uint16";
    case DType::UInt32:
      return "uint32";
    case DType::UInt64:
      return "uint64";
  }
  return "unknown";
}

}  // namespace maxstate::detail
