#include "checkpoint/pickle_machine.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "checkpoint/byte_reader.h"
#include "checkpoint/pickle_globals.h"
#include "checkpoint/tensor_view.h"
#include "maxstate/error.h"

namespace maxstate::detail {

const char* kindName(PyKind k) {
  switch (k) {
    case PyKind::None:
      return "None";
    case PyKind::Bool:
      return "bool";
    case PyKind::Int:
    case PyKind::BigInt:
      return "int";
    case PyKind::Float:
      return "float";
    case PyKind::Str:
      return "str";
    case PyKind::Bytes:
      return "bytes";
    case PyKind::Tuple:
      return "tuple";
    case PyKind::List:
      return "list";
    case PyKind::Dict:
      return "dict";
    case PyKind::Set:
      return "set";
    case PyKind::Global:
      return "callable";
    case PyKind::Storage:
      return "storage";
    case PyKind::Tensor:
      return "tensor";
    case PyKind::Object:
      return "object";
  }
  return "value";
}

namespace {

// Opcodes of pickle protocols 0-5 (Lib/pickle.py).
enum Op : uint8_t {
  MARK = '(',
  STOP = '.',
  POP = '0',
  POP_MARK = '1',
  DUP = '2',
  FLOAT = 'F',
  INT = 'I',
  BININT = 'J',
  BININT1 = 'K',
  LONG = 'L',
  BININT2 = 'M',
  NONE = 'N',
  PERSID = 'P',
  BINPERSID = 'Q',
  REDUCE = 'R',
  STRING = 'S',
  BINSTRING = 'T',
  SHORT_BINSTRING = 'U',
  UNICODE = 'V',
  BINUNICODE = 'X',
  APPEND = 'a',
  BUILD = 'b',
  GLOBAL = 'c',
  DICT = 'd',
  EMPTY_DICT = '}',
  APPENDS = 'e',
  GET = 'g',
  BINGET = 'h',
  INST = 'i',
  LONG_BINGET = 'j',
  LIST = 'l',
  EMPTY_LIST = ']',
  OBJ = 'o',
  PUT = 'p',
  BINPUT = 'q',
  LONG_BINPUT = 'r',
  SETITEM = 's',
  TUPLE = 't',
  EMPTY_TUPLE = ')',
  SETITEMS = 'u',
  BINFLOAT = 'G',
  PROTO = 0x80,
  NEWOBJ = 0x81,
  EXT1 = 0x82,
  EXT2 = 0x83,
  EXT4 = 0x84,
  TUPLE1 = 0x85,
  TUPLE2 = 0x86,
  TUPLE3 = 0x87,
  NEWTRUE = 0x88,
  NEWFALSE = 0x89,
  LONG1 = 0x8a,
  LONG4 = 0x8b,
  BINBYTES = 'B',
  SHORT_BINBYTES = 'C',
  SHORT_BINUNICODE = 0x8c,
  BINUNICODE8 = 0x8d,
  BINBYTES8 = 0x8e,
  EMPTY_SET = 0x8f,
  ADDITEMS = 0x90,
  FROZENSET = 0x91,
  NEWOBJ_EX = 0x92,
  STACK_GLOBAL = 0x93,
  MEMOIZE = 0x94,
  FRAME = 0x95,
  BYTEARRAY8 = 0x96,
  NEXT_BUFFER = 0x97,
  READONLY_BUFFER = 0x98,
};

void appendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | ((cp >> 18) & 0x07));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

PickleMachine::PickleMachine(std::string context, PickleLimits limits)
    : m_context(std::move(context)), m_limits(limits) {}

void PickleMachine::fail(const std::string& what) const {
  throw Error(ErrorKind::BadFile, m_context + " is not a valid checkpoint pickle: " + what + " (at byte " +
                                      std::to_string(m_opStart) +
                                      "); the file is corrupt or was not written by PyTorch");
}

PyValue* PickleMachine::run(std::string_view bytes, size_t& pos) {
  m_bytes = bytes;
  m_pos = pos;
  m_stack.clear();
  m_marks.clear();
  m_memo.clear();
  for (;;) {
    m_opStart = m_pos;
    if (m_pos >= m_bytes.size()) {
      m_ranOut = true;
      fail("the pickle ends before its STOP opcode (the file is truncated)");
    }
    const auto op = static_cast<uint8_t>(m_bytes[m_pos++]);
    switch (op) {
      case PROTO: {
        const auto proto = readUnsigned(1);
        if (proto > 5) fail("pickle protocol " + std::to_string(proto) + " is newer than this reader knows");
        break;
      }
      case FRAME:
        readUnsigned(8);
        break;  // frames only group opcodes
      case STOP: {
        PyValue* result = pop();
        pos = m_pos;
        return result;
      }
      case MARK:
        if (m_marks.size() >= m_limits.maxMarks)
          fail("more than " + std::to_string(m_limits.maxMarks) + " nested MARKs");
        m_marks.push_back(m_stack.size());
        break;
      case POP:
        if (m_stack.size() > (m_marks.empty() ? 0 : m_marks.back()))
          m_stack.pop_back();
        else
          popMark();
        break;
      case POP_MARK:
        popMark();
        break;
      case DUP:
        push(top());
        break;
      case NONE:
        push(make(PyKind::None));
        break;
      case NEWTRUE:
      case NEWFALSE: {
        PyValue* b = make(PyKind::Bool);
        b->boolean = op == NEWTRUE;
        push(b);
        break;
      }
      case INT: {
        const std::string_view s = line();
        if (s == "00" || s == "01") {  // protocol 0 booleans
          PyValue* b = make(PyKind::Bool);
          b->boolean = s == "01";
          push(b);
        } else {
          push(parseDecimal(s));
        }
        break;
      }
      case LONG:
        push(parseDecimal(line()));
        break;
      case BININT:
        push(makeInt(static_cast<int32_t>(readUnsigned(4))));
        break;
      case BININT1:
        push(makeInt(static_cast<int64_t>(readUnsigned(1))));
        break;
      case BININT2:
        push(makeInt(static_cast<int64_t>(readUnsigned(2))));
        break;
      case LONG1:
        push(makeBigInt(take(readUnsigned(1))));
        break;
      case LONG4: {
        const uint64_t n = readUnsigned(4);
        if (n > kMaxBigIntBytes) fail("an integer of " + std::to_string(n) + " bytes");
        push(makeBigInt(take(n)));
        break;
      }
      case FLOAT: {
        const std::string s(line());
        char* end = nullptr;
        const double v = std::strtod(s.c_str(), &end);
        if (s.empty() || end != s.c_str() + s.size())
          fail("a FLOAT opcode with the text '" + s.substr(0, 40) + "'");
        PyValue* f = make(PyKind::Float);
        f->real = v;
        push(f);
        break;
      }
      case BINFLOAT: {
        const uint64_t bits = [&] {
          const std::string_view s = take(8);
          uint64_t u = 0;
          for (char c : s) u = (u << 8) | static_cast<unsigned char>(c);  // big-endian
          return u;
        }();
        PyValue* f = make(PyKind::Float);
        std::memcpy(&f->real, &bits, 8);
        push(f);
        break;
      }
      case STRING: {  // protocol 0: a quoted Python 2 str literal
        const std::string_view s = line();
        if (s.size() < 2 || (s.front() != '\'' && s.front() != '"') || s.back() != s.front())
          fail("a STRING opcode without quotes");
        std::string out;
        for (size_t i = 1; i + 1 < s.size(); ++i) {
          if (s[i] != '\\' || i + 2 >= s.size()) {
            out += s[i];
            continue;
          }
          const char e = s[++i];
          if (e == 'n')
            out += '\n';
          else if (e == 't')
            out += '\t';
          else if (e == 'r')
            out += '\r';
          else if (e == 'x' && i + 2 < s.size() && hexDigit(s[i + 1]) >= 0 && hexDigit(s[i + 2]) >= 0) {
            out += static_cast<char>(hexDigit(s[i + 1]) * 16 + hexDigit(s[i + 2]));
            i += 2;
          } else
            out += e;
        }
        push(makeString(PyKind::Str, out));
        break;
      }
      case UNICODE: {  // protocol 0: raw-unicode-escape
        const std::string_view s = line();
        std::string out;
        for (size_t i = 0; i < s.size(); ++i) {
          const int digits = s[i] == '\\' && i + 1 < s.size() ? (s[i + 1] == 'u'   ? 4
                                                                 : s[i + 1] == 'U' ? 8
                                                                                   : 0)
                                                              : 0;
          if (digits && i + 1 + static_cast<size_t>(digits) < s.size()) {
            uint32_t cp = 0;
            bool ok = true;
            for (int k = 0; k < digits; ++k) {
              const int h = hexDigit(s[i + 2 + static_cast<size_t>(k)]);
              ok = ok && h >= 0;
              cp = cp * 16 + static_cast<uint32_t>(std::max(h, 0));
            }
            if (!ok || cp > 0x10ffff) fail("a UNICODE opcode with a bad escape");
            appendUtf8(out, cp);
            i += 1 + static_cast<size_t>(digits);
          } else {
            appendUtf8(out, static_cast<unsigned char>(s[i]));
          }
        }
        push(makeString(PyKind::Str, out));
        break;
      }
      case BINSTRING: {
        const auto n = static_cast<int32_t>(readUnsigned(4));
        if (n < 0) fail("a string of negative length");
        push(makeString(PyKind::Str, take(static_cast<uint64_t>(n))));
        break;
      }
      case SHORT_BINSTRING:
        push(makeString(PyKind::Str, take(readUnsigned(1))));
        break;
      case BINUNICODE:
        push(makeString(PyKind::Str, take(readUnsigned(4))));
        break;
      case SHORT_BINUNICODE:
        push(makeString(PyKind::Str, take(readUnsigned(1))));
        break;
      case BINUNICODE8:
        push(makeString(PyKind::Str, take(readUnsigned(8))));
        break;
      case BINBYTES:
        push(makeString(PyKind::Bytes, take(readUnsigned(4))));
        break;
      case SHORT_BINBYTES:
        push(makeString(PyKind::Bytes, take(readUnsigned(1))));
        break;
      case BINBYTES8:
      case BYTEARRAY8:
        push(makeString(PyKind::Bytes, take(readUnsigned(8))));
        break;
      case EMPTY_TUPLE:
        push(make(PyKind::Tuple));
        break;
      case TUPLE1:
      case TUPLE2:
      case TUPLE3: {
        const size_t n = op - TUPLE1 + 1;
        std::vector<PyValue*> items(n);
        for (size_t i = n; i-- > 0;) items[i] = pop();
        push(makeSequence(PyKind::Tuple, items));
        break;
      }
      case TUPLE:
        push(makeSequence(PyKind::Tuple, popMark()));
        break;
      case EMPTY_LIST:
        push(make(PyKind::List));
        break;
      case LIST:
        push(makeSequence(PyKind::List, popMark()));
        break;
      case APPEND: {
        PyValue* v = pop();
        PyValue* list = top();
        if (list->kind != PyKind::List) fail("APPEND to a " + std::string(kindName(list->kind)));
        list->items.push_back(v);
        addChild(list, v);
        break;
      }
      case APPENDS: {
        const auto items = popMark();
        PyValue* list = top();
        if (list->kind != PyKind::List) fail("APPENDS to a " + std::string(kindName(list->kind)));
        for (PyValue* v : items) {
          list->items.push_back(v);
          addChild(list, v);
        }
        break;
      }
      case EMPTY_DICT:
        push(make(PyKind::Dict));
        break;
      case DICT: {
        const auto items = popMark();
        if (items.size() % 2) fail("DICT with an odd number of items");
        push(makeSequence(PyKind::Dict, items));
        break;
      }
      case SETITEM: {
        PyValue* value = pop();
        PyValue* key = pop();
        PyValue* dict = top();
        if (dict->kind != PyKind::Dict) fail("SETITEM on a " + std::string(kindName(dict->kind)));
        dict->items.push_back(key);
        dict->items.push_back(value);
        addChild(dict, key);
        addChild(dict, value);
        break;
      }
      case SETITEMS: {
        const auto items = popMark();
        if (items.size() % 2) fail("SETITEMS with an odd number of items");
        PyValue* dict = top();
        if (dict->kind != PyKind::Dict) fail("SETITEMS on a " + std::string(kindName(dict->kind)));
        for (PyValue* v : items) {
          dict->items.push_back(v);
          addChild(dict, v);
        }
        break;
      }
      case EMPTY_SET:
        push(make(PyKind::Set));
        break;
      case ADDITEMS: {
        const auto items = popMark();
        PyValue* set = top();
        if (set->kind != PyKind::Set) fail("ADDITEMS to a " + std::string(kindName(set->kind)));
        for (PyValue* v : items) {
          set->items.push_back(v);
          addChild(set, v);
        }
        break;
      }
      case FROZENSET:
        push(makeSequence(PyKind::Set, popMark()));
        break;
      case GLOBAL: {
        const std::string_view module = line();
        const std::string_view name = line();
        push(makeGlobal(module, name));
        break;
      }
      case STACK_GLOBAL: {
        PyValue* name = pop();
        PyValue* module = pop();
        if (module->kind != PyKind::Str || name->kind != PyKind::Str) fail("STACK_GLOBAL of non-strings");
        push(makeGlobal(module->text, name->text));
        break;
      }
      case INST: {
        const std::string_view module = line();
        const std::string_view name = line();
        PyValue* cls = makeGlobal(module, name);
        push(call(cls, popMark()));
        break;
      }
      case OBJ: {
        auto items = popMark();
        if (items.empty()) fail("OBJ without a class");
        PyValue* cls = items.front();
        items.erase(items.begin());
        push(call(cls, items));
        break;
      }
      case REDUCE: {
        PyValue* args = pop();
        PyValue* callable = pop();
        push(call(callable, tupleArgs(args, "REDUCE's arguments")));
        break;
      }
      case NEWOBJ: {
        PyValue* args = pop();
        PyValue* cls = pop();
        push(newObject(cls, tupleArgs(args, "NEWOBJ's arguments")));
        break;
      }
      case NEWOBJ_EX: {
        PyValue* kwargs = pop();
        PyValue* args = pop();
        PyValue* cls = pop();
        if (kwargs->kind != PyKind::Dict || !kwargs->items.empty()) fail("NEWOBJ_EX with keyword arguments");
        push(newObject(cls, tupleArgs(args, "NEWOBJ_EX's arguments")));
        break;
      }
      case BUILD: {
        PyValue* state = pop();
        build(top(), state);
        break;
      }
      case BINPERSID:
        push(persistentLoad(pop()));
        break;
      case PERSID:
        fail("a text persistent id, which PyTorch never writes");
      case PUT: {
        const std::string s(line());
        char* end = nullptr;
        errno = 0;
        const unsigned long long i = std::strtoull(s.c_str(), &end, 10);
        if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE)
          fail("a PUT opcode with a bad index");
        memoPut(i);
        break;
      }
      case BINPUT:
        memoPut(readUnsigned(1));
        break;
      case LONG_BINPUT:
        memoPut(readUnsigned(4));
        break;
      case MEMOIZE:
        memoPut(m_memo.size());
        break;
      case GET: {
        const std::string s(line());
        char* end = nullptr;
        errno = 0;
        const unsigned long long i = std::strtoull(s.c_str(), &end, 10);
        if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE)
          fail("a GET opcode with a bad index");
        push(memoGet(i));
        break;
      }
      case BINGET:
        push(memoGet(readUnsigned(1)));
        break;
      case LONG_BINGET:
        push(memoGet(readUnsigned(4)));
        break;
      case EXT1:
      case EXT2:
      case EXT4:
        fail("an extension-registry opcode, which PyTorch never writes");
      case NEXT_BUFFER:
      case READONLY_BUFFER:
        fail("an out-of-band buffer opcode, which PyTorch never writes");
      default: {
        static const char* hex = "0123456789abcdef";
        fail(std::string("the unknown opcode 0x") + hex[op >> 4] + hex[op & 15]);
      }
    }
  }
}

}  // namespace maxstate::detail
