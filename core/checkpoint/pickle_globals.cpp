#include "checkpoint/pickle_globals.h"

#include <array>
#include <utility>

namespace maxstate::detail {
namespace {

struct StorageName {
  std::string_view name;
  DType dtype;
};

constexpr std::array<StorageName, 16> kStorageTypes = {{
    {"FloatStorage", DType::Float32},
    {"HalfStorage", DType::Float16},
    {"BFloat16Storage", DType::BFloat16},
    {"DoubleStorage", DType::Float64},
    {"LongStorage", DType::Int64},
    {"IntStorage", DType::Int32},
    {"ShortStorage", DType::Int16},
    {"CharStorage", DType::Int8},
    {"ByteStorage", DType::UInt8},
    {"BoolStorage", DType::Bool},
    {"ComplexFloatStorage", DType::Complex64},
    {"ComplexDoubleStorage", DType::Complex128},
    {"QInt8Storage", DType::QInt8},
    {"QUInt8Storage", DType::QUInt8},
    {"QInt32Storage", DType::QInt32},
    {"UntypedStorage", DType::UInt8},
}};

constexpr std::array<std::string_view, 18> kTorchDtypes = {
    "float32", "float", "float16", "half",  "bfloat16", "float64", "double", "int64",     "long",
    "int32",   "int",   "int16",   "short", "int8",     "uint8",   "bool",   "complex64", "complex128"};

bool isTorchScriptModule(std::string_view module) {
  return module == "__torch__" || module.rfind("__torch__.", 0) == 0;
}

}  // namespace

std::optional<GlobalInfo> lookupGlobal(std::string_view module, std::string_view name) {
  using G = GlobalId;
  if (module == "collections" && name == "OrderedDict") return GlobalInfo{G::OrderedDict};
  if (module == "torch._utils") {
    if (name == "_rebuild_tensor_v2") return GlobalInfo{G::RebuildTensorV2};
    if (name == "_rebuild_tensor") return GlobalInfo{G::RebuildTensor};
    if (name == "_rebuild_parameter") return GlobalInfo{G::RebuildParameter};
    if (name == "_rebuild_parameter_with_state") return GlobalInfo{G::RebuildParameterWithState};
  }
  if (module == "torch._tensor" && name == "_rebuild_from_type_v2") return GlobalInfo{G::RebuildFromTypeV2};
  if (module == "torch.nn.parameter" && name == "Parameter") return GlobalInfo{G::ParameterType};
  if (module == "torch" || module == "torch.cuda") {
    for (const auto& s : kStorageTypes)
      if (name == s.name) return GlobalInfo{G::StorageType, s.dtype};
  }
  if (module == "torch") {
    if (name == "Tensor") return GlobalInfo{G::TensorType};
    if (name == "device") return GlobalInfo{G::Device};
    if (name == "Size") return GlobalInfo{G::TorchSize};
    for (auto d : kTorchDtypes)
      if (name == d) return GlobalInfo{G::TorchDtype};
  }
  if (isTorchScriptModule(module)) return GlobalInfo{G::TorchScriptClass};
  if (module == "torch.jit._pickle") {
    if (name == "build_intlist" || name == "build_tensorlist" || name == "build_doublelist" ||
        name == "build_boollist" || name == "build_complexlist")
      return GlobalInfo{G::JitListBuilder};
    if (name == "restore_type_tag") return GlobalInfo{G::JitRestoreTypeTag};
  }
  if (module == "_codecs" && name == "encode") return GlobalInfo{G::CodecsEncode};
  // Resume files often hold metrics as numpy scalars, RNG states as arrays, and the run's arguments. Their
  // constructors are never called: the reader records inert objects and lists the entries as skipped.
  if ((module == "numpy.core.multiarray" || module == "numpy._core.multiarray") &&
      (name == "scalar" || name == "_reconstruct"))
    return GlobalInfo{G::InertData};
  if (module == "numpy" && (name == "ndarray" || name == "dtype")) return GlobalInfo{G::InertData};
  if (module == "argparse" && name == "Namespace") return GlobalInfo{G::InertData};
  if (module == "pathlib" &&
      (name == "PosixPath" || name == "WindowsPath" || name == "PurePosixPath" || name == "PureWindowsPath"))
    return GlobalInfo{G::InertData};
  if (module == "builtins" || module == "__builtin__") {
    if (name == "set") return GlobalInfo{G::Set};
    if (name == "frozenset") return GlobalInfo{G::FrozenSet};
  }
  return std::nullopt;
}

std::string refusedGlobalMessage(const std::string& qualifiedName) {
  return "refused to load: the pickle inside asks for the Python global `" + qualifiedName +
         "`, which a checkpoint of weights never needs (a file naming it may run code when loaded in "
         "Python). "
         "Only tensors, storages and plain containers are read. If the file holds a whole pickled model or "
         "other Python objects and you trust it, load it in Python and save just the weights: "
         "torch.save(model.state_dict(), 'weights.pt')";
}

}  // namespace maxstate::detail
