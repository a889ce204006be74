#pragma once
// OpenASH's chat template (SPEC.md 4.2): a conversation -> the ids its inference script feeds the model,
// ending with the assistant's turn opener <|im_start|> <|agent|>.
//
// A conversation file is a JSON list of messages (or {"messages": [...]}):
//   {"role": "system"|"user"|"assistant"|"tool", "content": "...",
//    optional "reasoning_content" (assistant), "tool_calls" (assistant), "tools" (system)}
// "tool_calls" and "tools" may be strings (encoded as written) or any JSON value, encoded as the text of
// Python's json.dumps(value, ensure_ascii=False) -- what OpenASH's Python script gets from its json module:
// ", " and ": " separators, non-ASCII characters as they are, keys in the file's order. A null or empty field
// is absent (the script tests them for truth); fields a role does not use are ignored, as the script does.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "maxstate/tokenizer.h"
#include "maxstate/vocabulary.h"

namespace maxstate {

enum class ChatRole { System, User, Assistant, Tool };
const char* chatRoleName(ChatRole r);  // "system", "user", "assistant", "tool"

struct ChatMessage {
  ChatRole role = ChatRole::User;
  std::string content;
  std::string reasoning;  // reasoning_content; "" = none
  std::string toolCalls;  // tool_calls as the text to encode; "" = none
  std::string tools;      // tools as the text to encode; "" = none
};

// Reads a conversation from JSON text; `name` is used in messages. Throws Error(BadFile) saying which message
// and field is wrong (not JSON, not a list, an unknown role, no content, content not a string, ...).
std::vector<ChatMessage> parseChat(std::string_view json, const std::string& name);
std::vector<ChatMessage> loadChat(const std::string& path);

// The template's ids; each text goes through `tokenizer`. Throws Error(BadFile) when the vocabulary lacks one
// of the specials the conversation needs (they are looked up by name), Error(Usage) without a vocabulary (raw
// ids), and what tokenize() throws.
std::vector<int64_t> encodeChat(const Vocabulary& vocabulary, const std::vector<ChatMessage>& messages,
                                Tokenizer tokenizer, bool addGenerationPrompt = true);
std::vector<int64_t> encodeChat(const Vocabulary& vocabulary, const std::vector<ChatMessage>& messages);

// The text of Python's json.dumps(value, ensure_ascii=False) for a JSON text (how tool_calls/tools values are
// written). Throws Error(Usage) when `json` is not JSON.
std::string pythonJsonDumps(std::string_view json);

}  // namespace maxstate
