#include "checkpoint/byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "maxstate/error.h"

namespace maxstate::detail {
namespace {

[[noreturn]] void outside(uint64_t offset, uint64_t length, uint64_t size) {
  throw Error(ErrorKind::BadFile, "the file ends before the " + std::to_string(length) + " bytes at offset " +
                                      std::to_string(offset) + " it should hold (" + std::to_string(size) +
                                      " bytes in all): the file is truncated or corrupt");
}

bool within(uint64_t offset, uint64_t length, uint64_t size) {
  return offset <= size && length <= size - offset;
}

}  // namespace

std::string changedMessage() {
  return "the checkpoint changed while it was read (is training writing it?): try again";
}

void throwChanged() { throw Error(ErrorKind::BadFile, changedMessage()); }

std::string ByteSource::read(uint64_t offset, uint64_t length) const {
  if (!within(offset, length, size())) outside(offset, length, size());
  std::string out(static_cast<size_t>(length), '\0');
  readAt(offset, length, out.data());
  return out;
}

void MemorySource::readAt(uint64_t offset, uint64_t length, char* dst) const {
  if (!within(offset, length, m_bytes.size())) outside(offset, length, m_bytes.size());
  if (length) std::memcpy(dst, m_bytes.data() + offset, static_cast<size_t>(length));
}

FileSource::FileSource(const std::string& path) : ByteSource(path) {
  m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (m_fd < 0) throw Error(ErrorKind::BadFile, "cannot open the file: " + std::string(std::strerror(errno)));
  struct stat st {};
  if (::fstat(m_fd, &st) != 0) {
    const int e = errno;
    ::close(m_fd);
    throw Error(ErrorKind::BadFile, "cannot read the file: " + std::string(std::strerror(e)));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(m_fd);
    if (S_ISDIR(st.st_mode))
      throw Error(ErrorKind::BadFile,
                  "this is a folder, not a checkpoint file (for a Hugging Face model folder, "
                  "open the model.safetensors or pytorch_model.bin inside it)");
    throw Error(ErrorKind::BadFile, "this is not a regular file");
  }
  currentIdentity(m_identity);
}

FileSource::~FileSource() {
  if (m_fd >= 0) ::close(m_fd);
}

bool FileSource::currentIdentity(Identity& out) const {
  struct stat st {};
  if (::fstat(m_fd, &st) != 0) return false;
  out.device = st.st_dev;
  out.inode = st.st_ino;
  out.size = static_cast<uint64_t>(st.st_size);
  out.mtimeNs = int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
  return true;
}

bool FileSource::changed() const {
  Identity now;
  return !currentIdentity(now) || !(now == m_identity);
}

void FileSource::checkUnchanged() const {
  if (changed()) throwChanged();
}

void FileSource::readAt(uint64_t offset, uint64_t length, char* dst) const {
  if (!within(offset, length, m_identity.size)) outside(offset, length, m_identity.size);
  while (length > 0) {
    const size_t chunk = static_cast<size_t>(std::min<uint64_t>(length, uint64_t{1} << 30));
    const ssize_t n = ::pread(m_fd, dst, chunk, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      // An I/O error on a file that changed is the change; on one that did not, a real read error.
      const int error = errno;
      if (changed()) throwChanged();
      throw Error(ErrorKind::BadFile, "cannot read the file: " + std::string(std::strerror(error)));
    }
    // Fewer bytes than the file had when it was opened: it was truncated since.
    if (n == 0) throwChanged();
    dst += n;
    offset += static_cast<uint64_t>(n);
    length -= static_cast<uint64_t>(n);
  }
}

}  // namespace maxstate::detail
