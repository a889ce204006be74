// The pickle machine's parts below the opcode loop (pickle_machine.cpp): its stack, marks and memo, its reads
// from the untrusted bytes, and the values it builds -- each bounded by PickleLimits and failing with a clear
// message.
#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "checkpoint/byte_reader.h"
#include "checkpoint/pickle_globals.h"
#include "checkpoint/pickle_machine.h"
#include "maxstate/error.h"

namespace maxstate::detail {

namespace {

// Minimal two's complement little-endian form, so equal integers compare equal whatever opcode wrote them.
std::string normaliseBigInt(std::string bytes) {
  while (bytes.size() > 1) {
    const auto last = static_cast<unsigned char>(bytes.back());
    const auto prev = static_cast<unsigned char>(bytes[bytes.size() - 2]);
    if ((last == 0x00 && !(prev & 0x80)) || (last == 0xff && (prev & 0x80)))
      bytes.pop_back();
    else
      break;
  }
  return bytes;
}

}  // namespace

PyValue* PickleMachine::make(PyKind kind) {
  if (m_arena.size() >= m_limits.maxObjects)
    fail("it builds more than " + std::to_string(m_limits.maxObjects) + " objects");
  PyValue& v = m_arena.emplace_back();
  v.kind = kind;
  return &v;
}

void PickleMachine::push(PyValue* v) {
  if (m_stack.size() >= m_limits.maxStack)
    fail("its stack grows beyond " + std::to_string(m_limits.maxStack) + " entries");
  m_stack.push_back(v);
}

PyValue* PickleMachine::pop() {
  if (m_stack.size() <= (m_marks.empty() ? 0 : m_marks.back())) fail("an opcode pops from an empty stack");
  PyValue* v = m_stack.back();
  m_stack.pop_back();
  return v;
}

PyValue* PickleMachine::top() {
  if (m_stack.size() <= (m_marks.empty() ? 0 : m_marks.back())) fail("an opcode reads from an empty stack");
  return m_stack.back();
}

std::vector<PyValue*> PickleMachine::popMark() {
  if (m_marks.empty()) fail("an opcode needs a MARK that is not there");
  const size_t mark = m_marks.back();
  m_marks.pop_back();
  std::vector<PyValue*> items(m_stack.begin() + static_cast<std::ptrdiff_t>(mark), m_stack.end());
  m_stack.resize(mark);
  return items;
}

void PickleMachine::addChild(PyValue* container, PyValue* child) {
  container->depth = std::max(container->depth, child->depth + 1);
  if (container->depth > m_limits.maxDepth)
    fail("objects are nested more than " + std::to_string(m_limits.maxDepth) + " levels deep");
}

std::string_view PickleMachine::take(uint64_t n) {
  if (!fits(m_bytes, m_pos, n)) {
    m_ranOut = true;
    fail("an opcode needs " + std::to_string(n) + " bytes but the pickle ends first (the file is truncated)");
  }
  std::string_view s = m_bytes.substr(m_pos, static_cast<size_t>(n));
  m_pos += static_cast<size_t>(n);
  return s;
}

uint64_t PickleMachine::readUnsigned(int bytes) {
  const std::string_view s = take(static_cast<uint64_t>(bytes));
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[static_cast<size_t>(i)]);
  return v;
}

std::string_view PickleMachine::line() {
  const size_t limit = std::min(m_bytes.size(), m_pos + m_limits.maxLine);
  const size_t nl = m_bytes.find('\n', m_pos);
  if (nl == std::string_view::npos) m_ranOut = true;
  if (nl == std::string_view::npos || nl >= limit) fail("a text opcode's line has no end");
  std::string_view s = m_bytes.substr(m_pos, nl - m_pos);
  m_pos = nl + 1;
  return s;
}

PyValue* PickleMachine::makeInt(int64_t v) {
  PyValue* p = make(PyKind::Int);
  p->integer = v;
  return p;
}

PyValue* PickleMachine::makeBigInt(std::string_view le) {
  if (le.empty()) return makeInt(0);
  if (le.size() <= 8) {
    uint64_t u = 0;
    for (size_t i = le.size(); i-- > 0;) u = (u << 8) | static_cast<unsigned char>(le[i]);
    if (le.size() < 8 && (static_cast<unsigned char>(le.back()) & 0x80)) u |= ~uint64_t{0} << (8 * le.size());
    return makeInt(static_cast<int64_t>(u));
  }
  if (le.size() > kMaxBigIntBytes) fail("an integer of " + std::to_string(le.size()) + " bytes");
  PyValue* p = make(PyKind::BigInt);
  p->text = normaliseBigInt(std::string(le));
  if (p->text.size() <= 8) return makeBigInt(p->text);
  return p;
}

PyValue* PickleMachine::parseDecimal(std::string_view text) {
  std::string s(text);
  if (!s.empty() && s.back() == 'L') s.pop_back();  // protocol 0 LONG ends in 'L'
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  if (i == s.size()) fail("an integer opcode without digits");
  for (size_t k = i; k < s.size(); ++k)
    if (s[k] < '0' || s[k] > '9') fail("an integer opcode with the non-digit text '" + s.substr(0, 40) + "'");
  errno = 0;
  const long long v = std::strtoll(s.c_str(), nullptr, 10);
  if (errno != ERANGE) return makeInt(v);
  if (s.size() - i > 2 * kMaxBigIntBytes) fail("an integer of " + std::to_string(s.size()) + " digits");
  // Too big for 64 bits: little-endian magnitude by repeated multiply-add, then two's complement.
  std::string mag(1, '\0');
  for (size_t k = i; k < s.size(); ++k) {
    unsigned carry = static_cast<unsigned>(s[k] - '0');
    for (char& byte : mag) {
      const unsigned x = static_cast<unsigned char>(byte) * 10u + carry;
      byte = static_cast<char>(x & 0xff);
      carry = x >> 8;
    }
    while (carry) {
      mag += static_cast<char>(carry & 0xff);
      carry >>= 8;
    }
  }
  mag += '\0';  // room for the sign bit
  if (negative) {
    unsigned carry = 1;
    for (char& byte : mag) {
      const unsigned x = static_cast<unsigned char>(~static_cast<unsigned char>(byte)) + carry;
      byte = static_cast<char>(x & 0xff);
      carry = x >> 8;
    }
  }
  PyValue* p = make(PyKind::BigInt);
  p->text = normaliseBigInt(mag);
  return p;
}

PyValue* PickleMachine::makeString(PyKind kind, std::string_view s) {
  PyValue* p = make(kind);
  p->text.assign(s);
  return p;
}

PyValue* PickleMachine::makeGlobal(std::string_view module, std::string_view name) {
  const std::string qualified = std::string(module) + "." + std::string(name);
  const auto info = lookupGlobal(module, name);
  if (!info) throw Error(ErrorKind::BadFile, m_context + ": " + refusedGlobalMessage(qualified));
  PyValue* p = make(PyKind::Global);
  p->integer = static_cast<int64_t>(info->id);
  p->dtype = info->dtype;
  p->text = qualified;
  return p;
}

PyValue* PickleMachine::makeSequence(PyKind kind, const std::vector<PyValue*>& items) {
  PyValue* p = make(kind);
  p->items = items;
  for (PyValue* item : items) addChild(p, item);
  return p;
}

void PickleMachine::memoPut(uint64_t index) {
  if (m_memo.size() >= m_limits.maxMemo && !m_memo.count(index))
    fail("its memo grows beyond " + std::to_string(m_limits.maxMemo) + " entries");
  m_memo[index] = top();
}

PyValue* PickleMachine::memoGet(uint64_t index) {
  const auto it = m_memo.find(index);
  if (it == m_memo.end())
    fail("it refers to memo entry " + std::to_string(index) + ", which was never stored");
  return it->second;
}

}  // namespace maxstate::detail
