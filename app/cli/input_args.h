#pragma once
// The input flags every command shares (--text, --text-file, --chat, --ids, --ids-file, --input,
// --tokenizer), turned into the core's InputRequest: one reading of them for `tokenize`, `trace`, `export`
// and later commands.
#include <optional>
#include <set>
#include <string>

#include "cli/args.h"
#include "maxstate/input.h"

namespace maxstate::cli {

// The input flags that take a value, for Args' list (with `more` added).
std::set<std::string> inputOptions(std::set<std::string> more = {});

struct CommandInput {
  std::string flag;  // the flag given: "text", "text-file", "chat", "ids", "ids-file", "input"
  std::optional<InputRequest> request;  // unset for --input (a bare layer's float input, in `value`)
  std::string value;                    // the flag's value
};

// Exactly one input flag must be given; `allowed` lists the ones this command takes (others: Error(Usage)).
// --tokenizer needs a text or chat input.
CommandInput inputFromArgs(const Args& args, const std::set<std::string>& allowed);

}  // namespace maxstate::cli
