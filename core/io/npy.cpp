#include "maxstate/npy.h"

#include <cstring>
#include <fstream>
#include <sstream>

#include "checkpoint/dtype_convert.h"
#include "maxstate/atomic_file.h"
#include "maxstate/error.h"

namespace maxstate {
namespace {

struct NpyHeader {
  char kind = 0;  // 'f', 'i', 'u', 'b'
  int itemSize = 0;
  Shape shape;
  size_t dataOffset = 0;
};

[[noreturn]] void bad(const std::string& path, const std::string& why) {
  throw Error(ErrorKind::BadFile, path + ": not a readable .npy file (" + why + ")");
}

std::string extractValue(const std::string& header, const std::string& key) {
  size_t k = header.find("'" + key + "'");
  if (k == std::string::npos) return {};
  size_t colon = header.find(':', k);
  if (colon == std::string::npos) return {};
  size_t start = header.find_first_not_of(' ', colon + 1);
  if (start == std::string::npos) return {};
  char open = header[start];
  char close = open == '(' ? ')' : open == '\'' ? '\'' : ',';
  size_t end = header.find(close, start + 1);
  if (end == std::string::npos) return {};
  return header.substr(start, end - start + 1);
}

NpyHeader parseHeader(const std::string& path, const std::string& bytes) {
  if (bytes.size() < 10 || std::memcmp(bytes.data(), "\x93NUMPY", 6) != 0) bad(path, "missing NUMPY magic");
  const int major = static_cast<unsigned char>(bytes[6]);
  size_t headerLen = 0, pos = 0;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    pos = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) bad(path, "truncated header");
    for (int i = 3; i >= 0; --i) headerLen = (headerLen << 8) | static_cast<unsigned char>(bytes[8 + i]);
    pos = 12;
  } else {
    bad(path, "unknown format version " + std::to_string(major));
  }
  if (pos + headerLen > bytes.size()) bad(path, "truncated header");
  const std::string header = bytes.substr(pos, headerLen);
  NpyHeader h;
  h.dataOffset = pos + headerLen;
  const std::string descr = extractValue(header, "descr");
  if (descr.size() < 5) bad(path, "no dtype");
  const char order = descr[1];
  h.kind = descr[2];
  h.itemSize = std::atoi(descr.c_str() + 3);
  if (order == '>' && h.itemSize > 1) bad(path, "big-endian data is not supported");
  if (extractValue(header, "fortran_order").rfind("True", 0) == 0)
    bad(path, "Fortran order is not supported");
  const std::string shape = extractValue(header, "shape");
  if (shape.empty() || shape[0] != '(') bad(path, "no shape");
  std::stringstream ss(shape.substr(1, shape.size() - 2));
  std::string item;
  while (std::getline(ss, item, ',')) {
    size_t s = item.find_first_not_of(' ');
    if (s == std::string::npos) continue;
    char* end = nullptr;
    long long v = std::strtoll(item.c_str() + s, &end, 10);
    if (v < 0 || end == item.c_str() + s) bad(path, "bad shape " + shape);
    h.shape.push_back(v);
  }
  return h;
}

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::BadFile, path + ": cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

template <class Out>
Array<Out> readTyped(const std::string& path, bool wantFloat) {
  const std::string bytes = readAll(path);
  const NpyHeader h = parseHeader(path, bytes);
  // Checked before allocating: the file must hold every element its header promises.
  int64_t n = 1;
  for (int64_t s : h.shape) {
    if (s != 0 && n > (int64_t{1} << 40) / s) bad(path, "absurd shape");
    n *= s;
  }
  if (h.itemSize <= 0 || bytes.size() - h.dataOffset < static_cast<size_t>(n) * h.itemSize) {
    bad(path, "data shorter than its shape " + shapeToString(h.shape));
  }
  Array<Out> out(h.shape);
  const char* src = bytes.data() + h.dataOffset;
  auto load = [&](auto tag) {
    using T = decltype(tag);
    for (int64_t i = 0; i < n; ++i) {
      T v;
      std::memcpy(&v, src + i * sizeof(T), sizeof(T));
      out[i] = static_cast<Out>(v);
    }
  };
  if (h.kind == 'f' && wantFloat) {
    if (h.itemSize == 4)
      load(float{});
    else if (h.itemSize == 8)
      load(double{});
    else if (h.itemSize == 2) {
      for (int64_t i = 0; i < n; ++i) {
        uint16_t v;
        std::memcpy(&v, src + i * 2, 2);
        out[i] = static_cast<Out>(detail::halfToFloatExact(v));
      }
    } else
      bad(path, "unsupported float size");
  } else if ((h.kind == 'i' || h.kind == 'u') && !wantFloat) {
    if (h.itemSize == 1)
      h.kind == 'i' ? load(int8_t{}) : load(uint8_t{});
    else if (h.itemSize == 2)
      h.kind == 'i' ? load(int16_t{}) : load(uint16_t{});
    else if (h.itemSize == 4)
      h.kind == 'i' ? load(int32_t{}) : load(uint32_t{});
    else if (h.itemSize == 8)
      h.kind == 'i' ? load(int64_t{}) : load(uint64_t{});
    else
      bad(path, "unsupported integer size");
  } else {
    bad(path, std::string("expected ") + (wantFloat ? "a float" : "an integer") +
                  " array, found dtype kind '" + h.kind + "'");
  }
  return out;
}

template <class T>
void writeTyped(const std::string& path, const Array<T>& a, const char* descr) {
  std::string shape = "(";
  for (int64_t s : a.shape()) shape += std::to_string(s) + ", ";
  if (a.shape().size() > 1)
    shape.resize(shape.size() - 2);
  else if (a.shape().size() == 1)
    shape.resize(shape.size() - 1);
  shape += ")";
  std::string header =
      std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  writeFileAtomically(path, [&](std::ostream& out) {
    out.write("\x93NUMPY\x01\x00", 8);
    const uint16_t len = static_cast<uint16_t>(header.size());
    const char lenBytes[2] = {static_cast<char>(len & 0xff), static_cast<char>(len >> 8)};
    out.write(lenBytes, 2);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(reinterpret_cast<const char*>(a.data()), static_cast<std::streamsize>(a.size() * sizeof(T)));
  });
}

}  // namespace

FloatArray readNpyFloat(const std::string& path) { return readTyped<float>(path, true); }
IndexArray readNpyIndex(const std::string& path) { return readTyped<int64_t>(path, false); }
void writeNpy(const std::string& path, const FloatArray& a) { writeTyped(path, a, "<f4"); }
void writeNpy(const std::string& path, const IndexArray& a) { writeTyped(path, a, "<i8"); }
void writeNpy(const std::string& path, const Array<double>& a) { writeTyped(path, a, "<f8"); }
void writeNpy(const std::string& path, const Array<uint8_t>& a) { writeTyped(path, a, "|u1"); }

}  // namespace maxstate
