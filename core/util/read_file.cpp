#include "util/read_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "maxstate/error.h"

namespace maxstate::detail {

namespace {
// Far above any text, vocabulary or conversation a user traces; far below what would exhaust memory.
constexpr std::uintmax_t kMaxBytes = std::uintmax_t{1} << 30;
}  // namespace

std::string readUserFile(const std::string& path, const std::string& what) {
  const std::string cannot = "cannot read " + what + " " + path + ": ";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw Error(ErrorKind::BadFile, cannot + "no such file");
  if (!std::filesystem::is_regular_file(path, ec))
    throw Error(ErrorKind::BadFile, cannot + "not a regular file");
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxBytes)
    throw Error(ErrorKind::BadFile, cannot + "larger than " + std::to_string(kMaxBytes >> 20) + " MB");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::BadFile, cannot + std::strerror(errno));
  std::ostringstream content;
  content << in.rdbuf();
  if (!in && !in.eof()) throw Error(ErrorKind::BadFile, cannot + "read failed");
  return content.str();
}

}  // namespace maxstate::detail
