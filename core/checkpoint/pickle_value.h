#pragma once
// The objects the restricted unpickler builds. They live in an arena owned by the PickleMachine: objects
// refer to each other by plain pointers, so cycles and deep nesting cost nothing to free.
#include <cstdint>
#include <string>
#include <vector>

#include "checkpoint/dtype.h"

namespace maxstate::detail {

enum class PyKind : uint8_t {
  None,
  Bool,
  Int,
  BigInt,
  Float,
  Str,
  Bytes,
  Tuple,
  List,
  Dict,
  Set,
  Global,   // an allow-listed callable or type; `integer` holds its GlobalId
  Storage,  // a tensor storage named by a persistent id; `integer` indexes PickleMachine::storages()
  Tensor,   // `integer` indexes PickleMachine::tensors()
  Object,   // an inert instance: TorchScript module objects, torch.device, torch.dtype
};

struct PyValue {
  PyKind kind = PyKind::None;
  DType dtype = DType::Float32;  // Global of a storage type
  bool boolean = false;
  uint32_t depth = 0;  // nesting depth, for the depth limit
  int64_t integer = 0;
  double real = 0;
  std::string text;             // Str, Bytes, BigInt (little-endian two's complement), Global/Object: name
  std::vector<PyValue*> items;  // Tuple/List/Set: elements; Dict: key0, value0, key1, value1, ...
  PyValue* state = nullptr;     // Object: what BUILD gave it

  bool isSequence() const { return kind == PyKind::Tuple || kind == PyKind::List; }
  size_t dictSize() const { return items.size() / 2; }
  // Dict lookup by string key; the last assignment wins, as in Python.
  const PyValue* find(std::string_view key) const {
    for (size_t i = items.size(); i >= 2; i -= 2)
      if (items[i - 2]->kind == PyKind::Str && items[i - 2]->text == key) return items[i - 1];
    return nullptr;
  }
};

const char* kindName(PyKind k);  // "dict", "tensor", ... for messages

}  // namespace maxstate::detail
