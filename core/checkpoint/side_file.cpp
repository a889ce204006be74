// The heads side file `<checkpoint>.json`: a seed-variant checkpoint cannot tell its number of heads, so the
// user (or the GUI, on the user's answer) writes it once beside the checkpoint.
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "maxstate/architecture.h"
#include "maxstate/atomic_file.h"
#include "maxstate/error.h"

namespace maxstate {
namespace {

// A side file is a few bytes; anything much larger is not one, and is not read into memory.
constexpr std::uintmax_t kMaxSideFileBytes = 64 * 1024;
// No model has more heads than this; a larger number is a typo, not a configuration.
constexpr int64_t kMaxHeads = 1 << 20;

const char* kExpected = "expected a JSON object like {\"heads\": 8}";

[[noreturn]] void bad(const std::string& side, const std::string& what) {
  throw Error(ErrorKind::BadFile, "side file " + side + " " + what + ": " + kExpected);
}

// The side file's JSON; Error(BadFile) naming the file when it cannot be read or parsed.
nlohmann::json parseSideFile(const std::string& side) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(side, ec)) bad(side, "is not a regular file");
  const std::uintmax_t size = fs::file_size(side, ec);
  if (ec) bad(side, "cannot be read (" + ec.message() + ")");
  if (size > kMaxSideFileBytes) bad(side, "is " + std::to_string(size) + " bytes, far too large");
  std::ifstream in(side, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) bad(side, "cannot be read");
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    bad(side, "is not valid JSON (error at byte " + std::to_string(e.byte) + ")");
  }
}

}  // namespace

std::string headsSideFilePath(const std::string& checkpointPath) { return checkpointPath + ".json"; }

std::optional<int64_t> readHeadsSideFile(const std::string& checkpointPath) {
  const std::string side = headsSideFilePath(checkpointPath);
  std::error_code ec;
  if (!std::filesystem::exists(side, ec)) return std::nullopt;
  const nlohmann::json j = parseSideFile(side);
  if (!j.is_object()) bad(side, "does not hold a JSON object");
  auto it = j.find("heads");
  if (it == j.end()) {
    // It may hold only the training length (maxstate/stats.h): an OpenASH checkpoint needs no heads.
    if (j.contains("train_length")) return std::nullopt;
    bad(side, "has no \"heads\" field");
  }
  int64_t heads = 0;  // stays 0 (refused) for anything but a whole number in range
  if (it->is_number_unsigned())
    heads = it->get<uint64_t>() <= uint64_t(kMaxHeads) ? int64_t(it->get<uint64_t>()) : 0;
  else if (it->is_number_integer())
    heads = it->get<int64_t>();
  if (heads < 1 || heads > kMaxHeads)
    bad(side, "has \"heads\": " + it->dump() + ", which is not a whole number from 1 to " +
                  std::to_string(kMaxHeads));
  return heads;
}

void writeHeadsSideFile(const std::string& checkpointPath, int64_t heads) {
  const std::string side = headsSideFilePath(checkpointPath);
  if (heads < 1 || heads > kMaxHeads)
    throw Error(ErrorKind::Usage, "cannot write " + side + ": heads must be from 1 to " +
                                      std::to_string(kMaxHeads) + ", not " + std::to_string(heads));
  // Keep whatever else a valid side file holds (later versions may store more there); replace anything else.
  nlohmann::json j = nlohmann::json::object();
  std::error_code ec;
  if (std::filesystem::exists(side, ec)) {
    try {
      nlohmann::json old = parseSideFile(side);
      if (old.is_object()) j = std::move(old);
    } catch (const Error&) {
    }
  }
  j["heads"] = heads;
  const std::string text = j.dump(2) + "\n";
  writeFileAtomically(side, [&](std::ostream& out) { out << text; });
}

}  // namespace maxstate
