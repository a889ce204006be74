#include "text/jieba_data.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "maxstate/error.h"
#include "maxstate/resources.h"

namespace maxstate::jieba {
namespace {

constexpr char kMagic[8] = {'M', 'S', 'J', 'I', 'E', 'B', 'A', '1'};
constexpr const char* kFileName = "jieba.dat";
constexpr const char* kRemedy =
    ": reinstall MaxState Explorer, or rebuild it (the build converts python3-jieba)";

// The file mapped read-only: the tables are used where they lie, without copies (loading is then little more
// than the checks below).
std::shared_ptr<const void> mapFile(const std::string& path, size_t& size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw Error(ErrorKind::BadFile, "cannot read jieba data file " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size <= 0) {
    ::close(fd);
    throw Error(ErrorKind::BadFile, "jieba data file " + path + " is empty" + kRemedy);
  }
  size = static_cast<size_t>(st.st_size);
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  const int err = errno;
  ::close(fd);
  if (p == MAP_FAILED)
    throw Error(ErrorKind::BadFile, "cannot map jieba data file " + path + ": " + std::strerror(err));
  return std::shared_ptr<const void>(p, [size](const void* q) { ::munmap(const_cast<void*>(q), size); });
}

// Walks the file's fields in order; every step is bounds-checked, so a truncated file is an error, not a
// crash. The writer keeps every table 8-byte aligned (a 40-byte header, then doubles, then 8-byte nodes).
class Reader {
 public:
  Reader(const void* bytes, size_t size, std::string path)
      : m_bytes(static_cast<const char*>(bytes)), m_size(size), m_path(std::move(path)) {}

  template <class T>
  const T* take(size_t count) {
    if (count > m_size || sizeof(T) * count > m_size - m_pos) bad("it is truncated");
    const T* p = reinterpret_cast<const T*>(m_bytes + m_pos);
    m_pos += sizeof(T) * count;
    return p;
  }
  template <class T>
  T read() {
    T v;
    std::memcpy(&v, take<T>(1), sizeof v);
    return v;
  }
  bool atEnd() const { return m_pos == m_size; }
  [[noreturn]] void bad(const std::string& what) const {
    throw Error(ErrorKind::BadFile, "jieba data file " + m_path + " cannot be used: " + what + kRemedy);
  }

 private:
  const char* m_bytes;
  size_t m_size;
  std::string m_path;
  size_t m_pos = 0;
};

}  // namespace

Data Data::load(const std::string& path) {
  size_t size = 0;
  Data d;
  d.m_file = mapFile(path, size);
  Reader r(d.m_file.get(), size, path);
  if (std::memcmp(r.take<char>(8), kMagic, 8) != 0) r.bad("it is not a jieba data file of this version");
  if (r.read<uint32_t>() != 0x01020304) r.bad("it was written with the other byte order");
  const uint32_t nodes = r.read<uint32_t>();
  const uint32_t weights = r.read<uint32_t>();
  d.m_emitFirst = r.read<uint32_t>();
  d.m_emitCount = r.read<uint32_t>();
  const uint64_t lo = r.read<uint32_t>();
  d.m_total = lo | (uint64_t{r.read<uint32_t>()} << 32);
  r.read<uint32_t>();
  if (nodes == 0 || weights == 0 || weights > 0x10000 || d.m_emitCount > 0x110000)
    r.bad("its header has impossible sizes");
  d.m_weights = r.take<double>(weights);
  std::memcpy(d.m_start, r.take<double>(4), sizeof d.m_start);
  std::memcpy(d.m_trans, r.take<double>(16), sizeof d.m_trans);
  d.m_emit = r.take<double>(size_t{4} * d.m_emitCount);
  static_assert(sizeof(Node) == 8);
  d.m_nodes = r.take<Node>(size_t{nodes} + 1);
  d.m_nodeCount = nodes;
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
