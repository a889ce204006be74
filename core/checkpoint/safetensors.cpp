// .safetensors: an 8-byte little-endian header length, a JSON header {name: {dtype, shape, data_offsets}},
// then the tensors' bytes. Nothing is executed by design; every offset and shape is still checked.
#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>

#include "checkpoint/byte_reader.h"
#include "checkpoint/checkpoint_builder.h"
#include "checkpoint/formats.h"
#include "maxstate/error.h"

namespace maxstate::detail {
namespace {

constexpr uint64_t kMaxHeader = uint64_t{100} << 20;  // the safetensors format's own limit
constexpr int kMaxJsonDepth = 16;

[[noreturn]] void bad(const std::string& what) {
  throw Error(ErrorKind::BadFile, "not a valid .safetensors file: " + what);
}

bool dtypeFromName(const std::string& name, DType& out) {
  static const std::pair<const char*, DType> kTable[] = {
      {"F32", DType::Float32},        {"F16", DType::Float16},
      {"BF16", DType::BFloat16},      {"F64", DType::Float64},
      {"I64", DType::Int64},          {"I32", DType::Int32},
      {"I16", DType::Int16},          {"I8", DType::Int8},
      {"U8", DType::UInt8},           {"BOOL", DType::Bool},
      {"U16", DType::UInt16},         {"U32", DType::UInt32},
      {"U64", DType::UInt64},         {"F8_E4M3", DType::Float8E4M3},
      {"F8_E5M2", DType::Float8E5M2}, {"C64", DType::Complex64}};
  for (const auto& [n, t] : kTable)
    if (name == n) {
      out = t;
      return true;
    }
  return false;
}

// The JSON parser recurses; refuse deep nesting before handing it the text.
bool nestingWithin(std::string_view text, int limit) {
  int depth = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inString) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limit) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}

// "__metadata__" maps strings to strings; training scripts may note "step" / "epoch" there. Only a whole
// decimal integer within int64 counts: anything else leaves the position unknown.
std::optional<int64_t> metadataInteger(const nlohmann::json& metadata, const char* key) {
  const auto it = metadata.find(key);
  if (it == metadata.end() || !it->is_string()) return std::nullopt;
  const std::string& text = it->get_ref<const std::string&>();
  int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

void readProgress(const nlohmann::json& header, Checkpoint& checkpoint) {
  const auto it = header.find("__metadata__");
  if (it == header.end() || !it->is_object()) return;
  checkpoint.epoch = metadataInteger(*it, "epoch");
  checkpoint.step = metadataInteger(*it, "step");
  if (!checkpoint.step && !it->contains("step")) checkpoint.step = metadataInteger(*it, "global_step");
}

}  // namespace

bool looksLikeSafetensors(std::string_view head, uint64_t size) {
  if (head.size() < 10 || size < 10) return false;
  const uint64_t n = u64At(head, 0);
  return n >= 2 && n <= size - 8 && head[8] == '{';
}

Checkpoint readSafetensors(const Source& source) {
  const uint64_t fileSize = source->size();
  if (fileSize < 8) bad("the file is shorter than its 8-byte header length");
  const uint64_t headerLen = u64At(source->read(0, 8), 0);
  if (headerLen > kMaxHeader) bad("its header claims " + std::to_string(headerLen) + " bytes");
  if (fileSize - 8 < headerLen) bad("the file ends inside its header (the file is truncated)");
  const std::string header = source->read(8, headerLen);
  const uint64_t dataStart = 8 + headerLen, dataSize = fileSize - dataStart;
  if (!nestingWithin(header, kMaxJsonDepth)) bad("its header is nested too deeply");
  const nlohmann::json j = nlohmann::json::parse(header.begin(), header.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) bad("its header is not a JSON object");

  CheckpointBuilder builder(CheckpointFormat::Safetensors);
  for (const auto& [name, info] : j.items()) {
    if (name == "__metadata__") continue;
    const std::string what = "tensor '" + name + "'";
    if (!info.is_object()) bad(what + " is not described by an object");
    const auto dtypeIt = info.find("dtype");
    const auto shapeIt = info.find("shape");
    const auto offsetsIt = info.find("data_offsets");
    if (dtypeIt == info.end() || !dtypeIt->is_string() || shapeIt == info.end() || !shapeIt->is_array() ||
        offsetsIt == info.end() || !offsetsIt->is_array() || offsetsIt->size() != 2)
      bad(what + " lacks dtype, shape or data_offsets");
    DType dtype;
    if (!dtypeFromName(dtypeIt->get<std::string>(), dtype)) {
      builder.skip(name);  // a type this tool never computes with
      continue;
    }
    TensorView view;
    view.dtype = dtype;
    if (shapeIt->size() > kMaxDims) bad(what + " has " + std::to_string(shapeIt->size()) + " dimensions");
    for (const auto& s : *shapeIt) {
      if (!s.is_number_unsigned()) bad(what + " has a shape entry that is not a non-negative integer");
      const uint64_t v = s.get<uint64_t>();
      if (v > static_cast<uint64_t>(kMaxElements))
        bad(what + " has the absurd dimension " + std::to_string(v));
      view.shape.push_back(static_cast<int64_t>(v));
    }
    for (const auto& o : *offsetsIt)
      if (!o.is_number_unsigned()) bad(what + " has data offsets that are not non-negative integers");
    const uint64_t begin = (*offsetsIt)[0].get<uint64_t>();
    const uint64_t end = (*offsetsIt)[1].get<uint64_t>();
    if (begin > end || end > dataSize)
      bad(what + " lies at bytes " + std::to_string(begin) + ".." + std::to_string(end) +
          " of a data section of " + std::to_string(dataSize) + " bytes (the file is truncated or corrupt)");
    int64_t numel = 1;
    for (int64_t s : view.shape)
      if (!mulWithin(numel, s, kMaxElements, numel))
        bad(what + " has the absurd shape " + shapeToString(view.shape));
    if (static_cast<uint64_t>(numel) * static_cast<uint64_t>(elementSize(dtype)) != end - begin)
      bad(what + " of shape " + shapeToString(view.shape) + " needs " +
          std::to_string(numel * elementSize(dtype)) + " bytes but its data offsets span " +
          std::to_string(end - begin));
    view.storage = rangeStorage(source, dataStart + begin, end - begin);
    view.storageElements = numel;
    // Row-major strides; an empty tensor's strides never matter (and could overflow).
    view.stride.assign(view.shape.size(), numel == 0 ? 0 : 1);
    if (numel > 0)
      for (size_t i = view.shape.size(); i-- > 1;) view.stride[i - 1] = view.stride[i] * view.shape[i];
    if (isFloating(dtype))
      builder.addTensor(name, view);
    else
      builder.skip(name);
  }
  Checkpoint checkpoint = builder.finish();
  readProgress(j, checkpoint);
  return checkpoint;
}

}  // namespace maxstate::detail
