#include "checkpoint/key_reader.h"

#include <array>

#include "maxstate/error.h"

namespace maxstate::detail {

std::string listNames(const std::vector<std::string>& names, size_t shown) {
  std::string out;
  const size_t n = std::min(shown, names.size());
  for (size_t i = 0; i < n; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > n) out += " and " + std::to_string(names.size() - n) + " more";
  return out;
}

void throwShapeError(const std::string& key, const Shape& actual, const std::string& expected,
                     const std::string& why) {
  std::string message = key + " has shape " + shapeToString(actual) + ", expected " + expected;
  if (!why.empty()) message += " (" + why + ")";
  throw Error(ErrorKind::Shape, message);
}

const CheckpointTensor* KeyReader::peek(const std::string& key) const {
  auto it = m_checkpoint.tensors.find(key);
  return it == m_checkpoint.tensors.end() ? nullptr : &it->second;
}

const CheckpointTensor* KeyReader::use(const std::string& key) {
  const CheckpointTensor* t = peek(key);
  if (!t)
    markMissing(key);
  else
    m_used.insert(key);
  return t;
}

FloatArray KeyReader::take(const std::string& key, const Shape& expected, const std::string& why) {
  const CheckpointTensor* t = use(key);
  if (!t) return {};
  if (t->shape() != expected) throwShapeError(key, t->shape(), shapeToString(expected), why);
  if (!m_loaded) return {};
  const auto it = m_loaded->find(key);
  return it == m_loaded->end() ? t->values() : it->second;
}

float KeyReader::takeScalar(const std::string& key) {
  const CheckpointTensor* t = use(key);
  if (!t) return 0;
  if (!(t->shape().empty() || t->shape() == Shape{1}))
    throwShapeError(key, t->shape(), "a scalar []", "it is one learned number");
  if (m_loaded)
    if (const auto it = m_loaded->find(key); it != m_loaded->end()) return it->second[0];
  return t->values()[0];
}

std::vector<std::string> KeyReader::unused() const {
  std::vector<std::string> out;
  for (const auto& [key, tensor] : m_checkpoint.tensors)
    if (!m_used.count(key)) out.push_back(key);
  return out;
}

int64_t KeyReader::parameters() const {
  int64_t n = 0;
  for (const auto& key : m_used) n += m_checkpoint.tensors.at(key).numel();
  return n;
}

StorageType KeyReader::dominantType() const {
  constexpr std::array<StorageType, 4> kTypes = {StorageType::Float32, StorageType::Float16,
                                                 StorageType::BFloat16, StorageType::Float64};
  std::array<int64_t, 4> count{};
  for (const auto& key : m_used) {
    const CheckpointTensor& t = m_checkpoint.tensors.at(key);
    for (size_t i = 0; i < kTypes.size(); ++i)
      if (t.storedAs() == kTypes[i]) count[i] += t.numel();
  }
  size_t best = 0;  // ties go to the earlier type in kTypes, so the answer never depends on map order
  for (size_t i = 1; i < kTypes.size(); ++i)
    if (count[i] > count[best]) best = i;
  return kTypes[best];
}

}  // namespace maxstate::detail
