#include "maxstate/checkpoint.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <new>

#include "checkpoint/formats.h"
#include "maxstate/error.h"

static_assert(std::endian::native == std::endian::little,
              "the checkpoint readers assume a little-endian CPU");

namespace maxstate {

const char* formatName(CheckpointFormat f) {
  switch (f) {
    case CheckpointFormat::TorchZip:
      return "torch-zip";
    case CheckpointFormat::TorchLegacy:
      return "torch-legacy";
    case CheckpointFormat::Safetensors:
      return "safetensors";
    case CheckpointFormat::TorchScript:
      return "torchscript";
  }
  return "unknown";
}

const char* storageTypeName(StorageType t) {
  switch (t) {
    case StorageType::Float32:
      return "float32";
    case StorageType::Float16:
      return "float16";
    case StorageType::BFloat16:
      return "bfloat16";
    case StorageType::Float64:
      return "float64";
  }
  return "unknown";
}

namespace {

bool endsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Checkpoint dispatch(std::string_view bytes, const std::string& name) {
  using namespace detail;
  if (bytes.empty())
    throw Error(ErrorKind::BadFile,
                "the file is empty (0 bytes): the save was probably interrupted; save the "
                "checkpoint again");
  if (looksLikeZip(bytes)) return readTorchZip(bytes);
  if (endsWith(name, ".safetensors") || looksLikeSafetensors(bytes)) return readSafetensors(bytes);
  if (looksLikeLegacy(bytes)) return readTorchLegacy(bytes);
  if (bytes.rfind("version https://git-lfs", 0) == 0)
    throw Error(ErrorKind::BadFile,
                "this is a Git LFS pointer, not the checkpoint itself: fetch the real file "
                "(git lfs pull)");
  if (bytes.size() >= 262 && bytes.substr(257, 5) == "ustar")
    throw Error(ErrorKind::Unsupported,
                "a tar archive: PyTorch before 0.4 saved checkpoints this way; load and "
                "save it again with a recent PyTorch, or extract the tar if it holds "
                "checkpoint files");
  if (bytes.rfind("<!DOCTYPE", 0) == 0 || bytes.rfind("<html", 0) == 0)
    throw Error(ErrorKind::BadFile,
                "an HTML page, not a checkpoint (a failed download?): download the file "
                "again");
  throw Error(ErrorKind::BadFile,
              "not a checkpoint this tool can read: expected a file written by torch.save, "
              "torch.jit.save or safetensors (zip archive, PyTorch pickle or .safetensors)");
}

// A read-only mapping of the whole file: storages are converted straight from the page cache, and the parts
// of a resume file the reader does not need (optimizer state) are never touched.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0)
      throw Error(ErrorKind::BadFile, "cannot open the file: " + std::string(std::strerror(errno)));
    struct stat st {};
    if (::fstat(m_fd, &st) != 0)
      throw Error(ErrorKind::BadFile, "cannot read the file: " + std::string(std::strerror(errno)));
    if (S_ISDIR(st.st_mode))
      throw Error(ErrorKind::BadFile,
                  "this is a folder, not a checkpoint file (for a Hugging Face model folder, "
                  "open the model.safetensors or pytorch_model.bin inside it)");
    if (!S_ISREG(st.st_mode)) throw Error(ErrorKind::BadFile, "this is not a regular file");
    m_size = static_cast<size_t>(st.st_size);
    if (m_size == 0) return;
    void* p = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, m_fd, 0);
    if (p == MAP_FAILED)
      throw Error(ErrorKind::BadFile, "cannot map the file: " + std::string(std::strerror(errno)));
    m_data = static_cast<const char*>(p);
    ::madvise(p, m_size, MADV_WILLNEED);
  }
  ~MappedFile() {
    if (m_data) ::munmap(const_cast<char*>(m_data), m_size);
    if (m_fd >= 0) ::close(m_fd);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view bytes() const { return {m_data ? m_data : "", m_size}; }

 private:
  int m_fd = -1;
  const char* m_data = nullptr;
  size_t m_size = 0;
};

}  // namespace

Checkpoint readCheckpointBytes(std::string_view bytes, const std::string& name) {
  try {
    return dispatch(bytes, name);
  } catch (const Error& e) {
    throw Error(e.kind(), name + ": " + e.what());
  } catch (const std::bad_alloc&) {
    throw Error(ErrorKind::BadFile, name + ": not enough memory to read this checkpoint");
  }
}

Checkpoint readCheckpoint(const std::string& path) {
  try {
    const MappedFile file(path);
    return dispatch(file.bytes(), path);
  } catch (const Error& e) {
    throw Error(e.kind(), path + ": " + e.what());
  } catch (const std::bad_alloc&) {
    throw Error(ErrorKind::BadFile, path + ": not enough memory to read this checkpoint");
  }
}

}  // namespace maxstate
