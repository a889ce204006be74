#pragma once
// Python's json.dumps(value, ensure_ascii=False) for a parsed JSON value: the text OpenASH's script encodes
// for tool calls and tool lists. Keys keep the file's order (ordered_json), floats are written as Python's
// repr writes them (shortest digits; exponent below 1e-4 and from 1e16 on).
#include <nlohmann/json.hpp>
#include <string>

namespace maxstate {

std::string pythonJsonDumps(const nlohmann::ordered_json& value);

}  // namespace maxstate
