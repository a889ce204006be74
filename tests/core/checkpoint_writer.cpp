#include "checkpoint_writer.h"

#include <zlib.h>

#include <cstring>
#include <fstream>
#include <stdexcept>

namespace maxstate::test {
namespace {

void put16(std::string& s, uint16_t v) { s.append(reinterpret_cast<const char*>(&v), 2); }
void put32(std::string& s, uint32_t v) { s.append(reinterpret_cast<const char*>(&v), 4); }

std::string global(const std::string& module, const std::string& name) {
  return "c" + module + "\n" + name + "\n";
}
std::string unicode(const std::string& text) {
  std::string s = "X";
  put32(s, static_cast<uint32_t>(text.size()));
  return s + text;
}
std::string integer(int64_t v) {
  std::string s;
  if (v >= INT32_MIN && v <= INT32_MAX) {
    s = "J";
    put32(s, static_cast<uint32_t>(static_cast<int32_t>(v)));
  } else {
    s = "\x8a\x08";
    s.append(reinterpret_cast<const char*>(&v), 8);
  }
  return s;
}
std::string tuple(const Shape& values) {
  if (values.empty()) return ")";
  std::string s = "(";
  for (int64_t v : values) s += integer(v);
  return s + "t";
}

// The OrderedDict of tensors, as a pickle fragment that leaves it on the stack.
std::string stateDictOf(const std::vector<TensorSpec>& tensors) {
  std::string p = global("collections", "OrderedDict") + ")R(";
  for (size_t i = 0; i < tensors.size(); ++i) {
    const TensorSpec& t = tensors[i];
    Shape stride(t.shape.size(), 1);
    for (size_t k = t.shape.size(); k-- > 1;) stride[k - 1] = stride[k] * t.shape[k];
    p += unicode(t.name) + global("torch._utils", "_rebuild_tensor_v2") + "(";
    p += "(" + unicode("storage") + global("torch", "FloatStorage") + unicode(std::to_string(i)) +
         unicode("cpu") + integer(t.storageNumel) + "tQ";
    p += integer(0) + tuple(t.shape) + tuple(stride) + "\x89" + global("collections", "OrderedDict") + ")R";
    p += "tR";
  }
  return p + "u";
}

std::string pickleOf(const std::vector<TensorSpec>& tensors) {
  return "\x80\x02" + stateDictOf(tensors) + ".";
}

uint32_t crcOf(const std::string& s) {
  return static_cast<uint32_t>(
      crc32(0, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

std::string floatBytes(const std::vector<float>& values) {
  std::string s(values.size() * 4, '\0');
  if (!values.empty()) std::memcpy(s.data(), values.data(), s.size());
  return s;
}

std::string rawDeflate(const std::string& in, int flush) {
  z_stream z{};
  if (deflateInit2(&z, 9, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&z, in.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, flush);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

struct Entry {
  std::string name;
  const StorageSpec* spec;
};

}  // namespace

StorageSpec storedFloats(const std::vector<float>& values) {
  StorageSpec s;
  s.payload = floatBytes(values);
  s.size = s.payload.size();
  s.crc = crcOf(s.payload);
  return s;
}

StorageSpec deflatedFloats(const std::vector<float>& values) {
  const std::string raw = floatBytes(values);
  StorageSpec s;
  s.payload = rawDeflate(raw, Z_FINISH);
  s.deflated = true;
  s.size = raw.size();
  s.crc = crcOf(raw);
  return s;
}

StorageSpec deflatedZeros(uint64_t size) {
  constexpr uint64_t kMiB = uint64_t{1} << 20;
  if (size % kMiB != 0) throw std::runtime_error("deflatedZeros: size must be a multiple of 1 MiB");
  const std::string zeros(kMiB, '\0');
  // A full flush ends the block on a byte boundary and forgets the history: the MiB stands alone and can
  // be repeated; an empty final fixed block (0x03 0x00) ends the stream.
  const std::string block = rawDeflate(zeros, Z_FULL_FLUSH);
  StorageSpec s;
  s.deflated = true;
  s.size = size;
  s.payload.reserve(block.size() * (size / kMiB) + 2);
  uLong crc = crc32(0, reinterpret_cast<const Bytef*>(zeros.data()), static_cast<uInt>(kMiB));
  const uLong crcMiB = crc;
  for (uint64_t i = 0; i < size / kMiB; ++i) {
    s.payload += block;
    if (i > 0) crc = crc32_combine(crc, crcMiB, static_cast<z_off_t>(kMiB));
  }
  s.payload += std::string("\x03\x00", 2);
  s.crc = static_cast<uint32_t>(crc);
  return s;
}

std::vector<float> someValues(const Shape& shape, float seed) {
  std::vector<float> v(static_cast<size_t>(shapeNumel(shape)));
  for (size_t i = 0; i < v.size(); ++i) v[i] = 0.02f * float((i * 7919 + 13) % 101) / 101.0f - 0.01f + seed;
  return v;
}

TensorSpec floatTensor(const std::string& name, const Shape& shape, const std::vector<float>& values) {
  return {name, shape, static_cast<int64_t>(values.size()), storedFloats(values)};
}

std::string pickledInt(int64_t v) { return integer(v); }
std::string pickledLong(const std::string& littleEndian) {
  return "\x8a" + std::string(1, char(littleEndian.size())) + littleEndian;
}
std::string pickledFloat(double v) {
  // BINFLOAT is big-endian.
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  std::string s = "G";
  for (int i = 7; i >= 0; --i) s += char((bits >> (8 * i)) & 0xff);
  return s;
}
std::string pickledBool(bool v) { return v ? "\x88" : "\x89"; }
std::string pickledStr(const std::string& text) { return unicode(text); }
std::string pickledNone() { return "N"; }

namespace {

std::string zipOf(const std::string& pickle, const std::vector<TensorSpec>& tensors);

}  // namespace

std::string torchZip(const std::vector<TensorSpec>& tensors) { return zipOf(pickleOf(tensors), tensors); }

std::string torchZipResume(const std::vector<TensorSpec>& tensors,
                           const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string p = "\x80\x02}(" + unicode("model") + stateDictOf(tensors);
  for (const auto& [key, value] : entries) p += unicode(key) + value;
  return zipOf(p + "u.", tensors);
}

namespace {

std::string zipOf(const std::string& pickle, const std::vector<TensorSpec>& tensors) {
  StorageSpec pickleSpec;
  pickleSpec.payload = pickle;
  pickleSpec.size = pickle.size();
  pickleSpec.crc = crcOf(pickle);
  std::vector<Entry> entries = {{"archive/data.pkl", &pickleSpec}};
  for (size_t i = 0; i < tensors.size(); ++i)
    entries.push_back({"archive/data/" + std::to_string(i), &tensors[i].storage});

  std::string out, directory;
  for (const Entry& e : entries) {
    const StorageSpec& s = *e.spec;
    if (s.payload.size() > 0xfffffffe || s.size > 0xfffffffe || out.size() > 0xfffffffe)
      throw std::runtime_error("torchZip writes zip32 archives only");
    const auto offset = static_cast<uint32_t>(out.size());
    const uint16_t method = s.deflated ? 8 : 0;
    std::string header;
    put32(header, 0x04034b50);
    put16(header, 20);
    put16(header, 0);  // flags
    put16(header, method);
    put32(header, 0);  // time, date
    put32(header, s.crc);
    put32(header, static_cast<uint32_t>(s.payload.size()));
    put32(header, static_cast<uint32_t>(s.size));
    put16(header, static_cast<uint16_t>(e.name.size()));
    put16(header, 0);
    out += header + e.name + s.payload;

    put32(directory, 0x02014b50);
    put16(directory, 20);
    put16(directory, 20);
    put16(directory, 0);
    put16(directory, method);
    put32(directory, 0);
    put32(directory, s.crc);
    put32(directory, static_cast<uint32_t>(s.payload.size()));
    put32(directory, static_cast<uint32_t>(s.size));
    put16(directory, static_cast<uint16_t>(e.name.size()));
    put16(directory, 0);  // extra
    put16(directory, 0);  // comment
    put16(directory, 0);  // disk
    put16(directory, 0);  // internal attributes
    put32(directory, 0);  // external attributes
    put32(directory, offset);
    directory += e.name;
  }
  const auto directoryOffset = static_cast<uint32_t>(out.size());
  out += directory;
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<uint16_t>(entries.size()));
  put16(out, static_cast<uint16_t>(entries.size()));
  put32(out, static_cast<uint32_t>(directory.size()));
  put32(out, directoryOffset);
  put16(out, 0);
  return out;
}

}  // namespace

std::vector<TensorSpec> openAshModel(int64_t vocab, int64_t d, int64_t heads, int64_t layers, float seed) {
  std::vector<TensorSpec> out;
  auto add = [&](const std::string& name, const Shape& shape, float shift) {
    out.push_back(floatTensor(name, shape, someValues(shape, seed + shift)));
  };
  auto scalar = [&](const std::string& name, float value) { out.push_back(floatTensor(name, {}, {value})); };
  add("em.weight", {vocab, d}, 0);
  for (int64_t n = 0; n < layers; ++n) {
    const std::string p = "decoder_layers." + std::to_string(n) + ".";
    const float f = float(n) * 0.01f;
    add(p + "self_attention_linear.combined.weight", {4 * d, d}, f);
    scalar(p + "self_attention_linear.alpha1", 0.25f + seed + f);
    scalar(p + "self_attention_linear.alpha2", 0.5f + seed + f);
    scalar(p + "self_attention_linear.alpha3", 0.75f + seed + f);
    add(p + "self_attention_linear.head_linear.weight", {heads, 5 * heads}, f);
    for (const char* ffn : {"ffn1", "gate", "ffn2"}) {
      add(p + "ffn." + ffn + ".weight", {d, d}, f);
      add(p + "ffn." + ffn + ".bias", {d}, f);
    }
    out.push_back(floatTensor(p + "layer_norm.weight", {d}, std::vector<float>(size_t(d), 1.0f)));
    add(p + "layer_norm.bias", {d}, f);
    scalar(p + "alpha", 0.5f + seed + f);
  }
  add("head_score.weight", {vocab, d}, 0.001f);
  return out;
}

void writeInPlace(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

}  // namespace maxstate::test
