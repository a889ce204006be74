#pragma once
// Where a checkpoint's bytes come from: a file read with pread (never a memory map, whose pages fault with
// SIGBUS when the file is truncated underneath) or bytes in memory (fuzzers, tests). Every read is
// bounds-checked; a file also remembers which version of itself was opened, so that data read later can be
// checked to come from that same version.
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace maxstate::detail {

class ByteSource {
 public:
  explicit ByteSource(std::string name) : m_name(std::move(name)) {}
  virtual ~ByteSource() = default;
  // The file's path (or the name given with the bytes), which starts every message about it.
  const std::string& name() const { return m_name; }
  // The size when the source was opened.
  virtual uint64_t size() const = 0;
  // Exactly `length` bytes at `offset` into `dst`: Error(BadFile) when the range lies outside the source,
  // the "changed while it was read" error when a file returns fewer bytes than it had when opened.
  virtual void readAt(uint64_t offset, uint64_t length, char* dst) const = 0;
  // Throws the "changed while it was read" error if the file is no longer the version that was opened.
  virtual void checkUnchanged() const {}
  // Whether the file is no longer the version that was opened (false for memory).
  virtual bool changed() const { return false; }

  std::string read(uint64_t offset, uint64_t length) const;

 private:
  std::string m_name;
};

// The exact sentence of issue 11, for every reader that finds the file changed under it.
std::string changedMessage();
[[noreturn]] void throwChanged();

// A copy of bytes in memory (the readers' tensors may outlive the caller's buffer).
class MemorySource final : public ByteSource {
 public:
  MemorySource(std::string_view bytes, std::string name) : ByteSource(std::move(name)), m_bytes(bytes) {}
  uint64_t size() const override { return m_bytes.size(); }
  void readAt(uint64_t offset, uint64_t length, char* dst) const override;

 private:
  std::string m_bytes;
};

// An open file and the identity it had when opened (device, inode, size, modification time in ns).
class FileSource final : public ByteSource {
 public:
  // Error(BadFile) for a missing file, a folder, or anything that is not a regular file.
  explicit FileSource(const std::string& path);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  uint64_t size() const override { return m_identity.size; }
  void readAt(uint64_t offset, uint64_t length, char* dst) const override;
  void checkUnchanged() const override;
  bool changed() const override;

 private:
  struct Identity {
    dev_t device = 0;
    ino_t inode = 0;
    uint64_t size = 0;
    int64_t mtimeNs = 0;
    bool operator==(const Identity&) const = default;
  };
  bool currentIdentity(Identity& out) const;

  int m_fd = -1;
  Identity m_identity;
};

}  // namespace maxstate::detail
