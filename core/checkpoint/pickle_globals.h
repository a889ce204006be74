#pragma once
// The allow-list: the only Python globals a checkpoint may name. Everything else is refused, naming it.
#include <optional>
#include <string>
#include <string_view>

#include "checkpoint/dtype.h"

namespace maxstate::detail {

enum class GlobalId : uint8_t {
  OrderedDict,                // collections.OrderedDict
  RebuildTensorV2,            // torch._utils._rebuild_tensor_v2
  RebuildTensor,              // torch._utils._rebuild_tensor (before 1.0)
  RebuildParameter,           // torch._utils._rebuild_parameter
  RebuildParameterWithState,  // torch._utils._rebuild_parameter_with_state
  RebuildFromTypeV2,  // torch._tensor._rebuild_from_type_v2 (tensor subclasses; only Tensor/Parameter)
  TensorType,         // torch.Tensor
  ParameterType,      // torch.nn.parameter.Parameter
  StorageType,        // torch.FloatStorage, torch.HalfStorage, ...
  Device,             // torch.device
  TorchDtype,         // torch.float16, ... (inert)
  TorchSize,          // torch.Size
  TorchScriptClass,   // __torch__.*: TorchScript module classes, inert objects
  JitListBuilder,     // torch.jit._pickle.build_intlist / build_tensorlist / ...
  JitRestoreTypeTag,  // torch.jit._pickle.restore_type_tag
  CodecsEncode,       // _codecs.encode: how protocol 2 spells Python 3 bytes
  Set,                // builtins.set
  FrozenSet,          // builtins.frozenset
  InertData,          // plain data common beside the weights in resume files (numpy scalars and arrays,
                      // argparse.Namespace, pathlib paths): built as inert objects, never used
};

struct GlobalInfo {
  GlobalId id;
  DType dtype = DType::Float32;  // StorageType only
};

std::optional<GlobalInfo> lookupGlobal(std::string_view module, std::string_view name);

// The message for a refused global, naming it and saying what to do.
std::string refusedGlobalMessage(const std::string& qualifiedName);

}  // namespace maxstate::detail
