// The training length beside a checkpoint (`<checkpoint>.json`, key "train_length", next to "heads"): where
// the long-context figures mark the end of what the model saw in training.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "maxstate/architecture.h"
#include "maxstate/error.h"
#include "maxstate/stats.h"
#include "util/read_file.h"

namespace maxstate {

std::optional<int64_t> readTrainLength(const std::string& checkpointPath) {
  const std::string side = headsSideFilePath(checkpointPath);
  std::error_code ec;
  if (!std::filesystem::exists(side, ec)) return std::nullopt;
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(detail::readUserFile(side, "the side file"));
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(ErrorKind::BadFile,
                "side file " + side + " is not valid JSON (error at byte " + std::to_string(e.byte) +
                    "): expected an object like {\"heads\": 8, " + "\"train_length\": 8192}");
  }
  if (!j.is_object() || !j.contains("train_length")) return std::nullopt;
  const nlohmann::json& v = j["train_length"];
  if (!v.is_number_integer() || v.get<int64_t>() < 1) {
    throw Error(ErrorKind::BadFile, "side file " + side + " has \"train_length\": " + v.dump() +
                                        ", which is not a whole number of tokens >= 1");
  }
  return v.get<int64_t>();
}

}  // namespace maxstate
