#include "text/jieba_data.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "maxstate/error.h"
#include "maxstate/resources.h"

namespace maxstate::jieba {
namespace {

constexpr char kMagic[8] = {'M', 'S', 'J', 'I', 'E', 'B', 'A', '1'};
constexpr const char* kFileName = "jieba.dat";
constexpr const char* kRemedy =
    ": reinstall MaxState Explorer, or rebuild it (the build converts python3-jieba)";

// Reads the file's fields in order; every read is bounds-checked, so a truncated file is an error, not a
// crash.
class Reader {
 public:
  Reader(std::vector<char> bytes, std::string path) : m_bytes(std::move(bytes)), m_path(std::move(path)) {}

  template <class T>
  void read(T* out, size_t count) {
    const size_t n = sizeof(T) * count;
    if (n / sizeof(T) != count || m_bytes.size() - m_pos < n) bad("it is truncated");
    std::memcpy(out, m_bytes.data() + m_pos, n);
    m_pos += n;
  }
  template <class T>
  T read() {
    T v;
    read(&v, 1);
    return v;
  }
  template <class T>
  std::vector<T> readVector(size_t count) {
    if (count > m_bytes.size()) bad("it is truncated");
    std::vector<T> v(count);
    read(v.data(), count);
    return v;
  }
  bool atEnd() const { return m_pos == m_bytes.size(); }
  [[noreturn]] void bad(const std::string& what) const {
    throw Error(ErrorKind::BadFile, "jieba data file " + m_path + " cannot be used: " + what + kRemedy);
  }

 private:
  std::vector<char> m_bytes;
  std::string m_path;
  size_t m_pos = 0;
};

std::vector<char> readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(ErrorKind::BadFile, "cannot read jieba data file " + path + ": " + std::strerror(errno));
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0);
  std::vector<char> bytes(size > 0 ? static_cast<size_t>(size) : 0);
  if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size())))
    throw Error(ErrorKind::BadFile, "cannot read jieba data file " + path + ": read failed");
  return bytes;
}

}  // namespace

Data Data::load(const std::string& path) {
  Reader r(readAll(path), path);
  char magic[8];
  r.read(magic, 8);
  if (std::memcmp(magic, kMagic, 8) != 0) r.bad("it is not a jieba data file of this version");
  if (r.read<uint32_t>() != 0x01020304) r.bad("it was written with the other byte order");
  const uint32_t nodes = r.read<uint32_t>();
  const uint32_t weights = r.read<uint32_t>();
  Data d;
  d.m_emitFirst = r.read<uint32_t>();
  d.m_emitCount = r.read<uint32_t>();
  const uint64_t lo = r.read<uint32_t>();
  d.m_total = lo | (uint64_t{r.read<uint32_t>()} << 32);
  r.read<uint32_t>();
  if (nodes == 0 || weights == 0 || weights > 0x10000 || d.m_emitCount > 0x110000)
    r.bad("its header has impossible sizes");
  d.m_weights = r.readVector<double>(weights);
  r.read(d.m_start, 4);
  r.read(d.m_trans, 16);
  d.m_emit = r.readVector<double>(size_t{4} * d.m_emitCount);
  static_assert(sizeof(Node) == 8);
  d.m_nodes = r.readVector<Node>(size_t{nodes} + 1);
  if (!r.atEnd()) r.bad("it has trailing bytes");
  // Every index the segmenter follows is checked once here.
  d.m_rootChild.assign(0x10000, 0);
  for (uint32_t n = 0; n < nodes; ++n) {
    const Node& node = d.m_nodes[n];
    const uint32_t end = d.m_nodes[n + 1].firstChild;
    if (node.weight >= weights || node.firstChild <= n || node.firstChild > end || end > nodes)
      r.bad("its trie is inconsistent at node " + std::to_string(n));
    for (uint32_t c = node.firstChild; c < end; ++c) {
      if (c > node.firstChild && d.m_nodes[c].cp <= d.m_nodes[c - 1].cp)
        r.bad("the children of node " + std::to_string(n) + " are not sorted");
      if (n == 0) d.m_rootChild[d.m_nodes[c].cp] = c;
    }
  }
  if (d.m_nodes[nodes].firstChild != nodes) r.bad("its trie does not end where the header says");
  return d;
}

uint32_t Data::child(uint32_t node, char32_t c) const {
  if (c > 0xFFFF) return 0;  // the dictionary has no characters outside the BMP (make_jieba_data.py checks)
  if (node == 0) return m_rootChild[c];
  uint32_t lo = m_nodes[node].firstChild, hi = m_nodes[node + 1].firstChild;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (m_nodes[mid].cp < c)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < m_nodes[node + 1].firstChild && m_nodes[lo].cp == c ? lo : 0;
}

std::string dataPath() {
  namespace fs = std::filesystem;
  std::vector<std::string> dirs = dataDirCandidates();
#ifdef MAXSTATE_BUILD_DATA_DIR
  dirs.emplace_back(MAXSTATE_BUILD_DATA_DIR);  // a build tree: where the build wrote it
#endif
  std::string looked;
  std::error_code ec;
  for (const std::string& dir : dirs) {
    const fs::path p = fs::path(dir) / kFileName;
    if (fs::is_regular_file(p, ec)) return p.lexically_normal().string();
    looked += (looked.empty() ? "" : ", ") + dir;
  }
  throw Error(ErrorKind::BadFile, std::string("jieba's dictionary (") + kFileName + ") was not found in " +
                                      (looked.empty() ? std::string("any data folder") : looked) + kRemedy +
                                      ", or set MAXSTATE_DATA_DIR to the folder holding it");
}

const Data& data() {
  // A static's initialisation is thread-safe, and one that throws is tried again on the next call.
  static const Data loaded = Data::load(dataPath());
  return loaded;
}

}  // namespace maxstate::jieba
