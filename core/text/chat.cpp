// OpenASH's chat template (SPEC.md 4.2) and the conversation files it reads.
#include "maxstate/chat.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "maxstate/error.h"
#include "text/python_json.h"
#include "text/utf8.h"
#include "util/read_file.h"

namespace maxstate {
namespace {

using Json = nlohmann::ordered_json;

std::string where(const std::string& name, size_t index, size_t count) {
  return "conversation " + name + ": message " + std::to_string(index + 1) + " of " + std::to_string(count);
}

ChatRole parseRole(const Json& m, const std::string& at) {
  if (!m.contains("role") || !m["role"].is_string())
    throw Error(ErrorKind::BadFile,
                at + " has no \"role\" string: give one of system, user, assistant, tool");
  const std::string& r = m["role"].get_ref<const std::string&>();
  for (const ChatRole role : {ChatRole::System, ChatRole::User, ChatRole::Assistant, ChatRole::Tool})
    if (r == chatRoleName(role)) return role;
  throw Error(ErrorKind::BadFile,
              at + " has the unknown role " + Json(r).dump() + ": use system, user, assistant or tool");
}

// A text field: a string as written; null or absent -> "".
std::string textField(const Json& m, const char* key, const std::string& at) {
  if (!m.contains(key) || m[key].is_null()) return {};
  if (!m[key].is_string())
    throw Error(ErrorKind::BadFile,
                at + ": \"" + key + "\" must be a string, not a JSON " + m[key].type_name());
  return m[key].get<std::string>();
}

// tool_calls / tools: a string as written, another JSON value as json.dumps writes it; absent when Python
// would find it false (null, "", [], {}, false, 0), as the script's `if msg.get(...)` does.
std::string jsonField(const Json& m, const char* key) {
  if (!m.contains(key)) return {};
  const Json& v = m[key];
  if (v.is_string()) return v.get<std::string>();
  const bool falsy = v.is_null() || ((v.is_array() || v.is_object()) && v.empty()) ||
                     (v.is_boolean() && !v.get<bool>()) || (v.is_number() && v.get<double>() == 0);
  return falsy ? std::string() : pythonJsonDumps(v);
}

class Template {
 public:
  Template(const Vocabulary& v, Tokenizer t) : m_v(v), m_t(t) {}

  void special(const char* name) {
    const auto id = m_v.find(name);
    if (!id)
      throw Error(ErrorKind::BadFile,
                  "vocabulary " + m_v.source() + " has no " + name +
                      ": OpenASH's chat template needs its specials (use an OpenASH vocabulary)");
    m_ids.push_back(*id);
  }
  void text(const std::string& s) {
    if (s.empty()) return;
    const std::vector<int64_t> ids = tokenize(m_v, s, m_t);
    m_ids.insert(m_ids.end(), ids.begin(), ids.end());
  }
  void message(const ChatMessage& m) {
    special("<|im_start|>");
    switch (m.role) {
      case ChatRole::System:
        special("<|system|>");
        text(m.content);
        if (!m.tools.empty()) {
          special("<|tools|>");
          text(m.tools);
          special("<|end_tools|>");
        }
        break;
      case ChatRole::User:
        special("<|user|>");
        text(m.content);
        break;
      case ChatRole::Assistant:
        special("<|agent|>");
        if (!m.reasoning.empty()) {
          special("<|think|>");
          text(m.reasoning);
          special("<|end_think|>");
        }
        if (!m.toolCalls.empty()) {
          special("<tool_call>");
          text(m.toolCalls);
          special("</tool_call>");
        }
        text(m.content);
        break;
      case ChatRole::Tool:
        special("<tool_response>");
        text(m.content);
        special("</tool_response>");
        break;
    }
    special("<|im_end|>");
  }
  std::vector<int64_t> take() { return std::move(m_ids); }

 private:
  const Vocabulary& m_v;
  Tokenizer m_t;
  std::vector<int64_t> m_ids;
};

}  // namespace

const char* chatRoleName(ChatRole r) {
  switch (r) {
    case ChatRole::System:
      return "system";
    case ChatRole::User:
      return "user";
    case ChatRole::Assistant:
      return "assistant";
    case ChatRole::Tool:
      return "tool";
  }
  return "?";
}

std::vector<ChatMessage> parseChat(std::string_view text, const std::string& name) {
  if (const size_t bad = utf8::firstInvalid(text); bad != std::string_view::npos)
    throw Error(ErrorKind::BadFile, "conversation " + name + " is not valid UTF-8 (byte " +
                                        std::to_string(bad) + "): save it as UTF-8");
  Json root;
  try {
    root = Json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    std::string why = e.what();
    if (const size_t p = why.find("] "); why.rfind("[json.exception", 0) == 0 && p != std::string::npos)
      why = why.substr(p + 2);  // keep "parse error at line 3, column 7: ..."
    throw Error(ErrorKind::BadFile, "conversation " + name + " is not valid JSON: " + why);
  }
  if (root.is_object() && root.contains("messages")) {
    Json messages = std::move(root["messages"]);
    root = std::move(messages);
  }
  if (!root.is_array())
    throw Error(ErrorKind::BadFile, "conversation " + name + " must be a JSON list of messages " +
                                        "[{\"role\": ..., \"content\": ...}, ...], not a JSON " +
                                        root.type_name());
  if (root.empty()) throw Error(ErrorKind::BadFile, "conversation " + name + " has no messages");
  std::vector<ChatMessage> out;
  for (size_t i = 0; i < root.size(); ++i) {
    const Json& m = root[i];
    const std::string at = where(name, i, root.size());
    if (!m.is_object())
      throw Error(ErrorKind::BadFile,
                  at + " is a JSON " + m.type_name() + ", not an object {\"role\", \"content\"}");
    ChatMessage msg;
    msg.role = parseRole(m, at);
    if (!m.contains("content"))
      throw Error(ErrorKind::BadFile,
                  at + " (" + chatRoleName(msg.role) + ") has no \"content\" (use \"\" for none)");
    msg.content = textField(m, "content", at);
    if (msg.role == ChatRole::Assistant) {
      msg.reasoning = textField(m, "reasoning_content", at);
      msg.toolCalls = jsonField(m, "tool_calls");
    }
    if (msg.role == ChatRole::System) msg.tools = jsonField(m, "tools");
    out.push_back(std::move(msg));
  }
  return out;
}

std::vector<ChatMessage> loadChat(const std::string& path) {
  return parseChat(detail::readUserFile(path, "conversation"), path);
}

std::vector<int64_t> encodeChat(const Vocabulary& v, const std::vector<ChatMessage>& messages, Tokenizer t,
                                bool addGenerationPrompt) {
  if (v.format() == VocabularyFormat::RawIds)
    throw Error(ErrorKind::Usage,
                "a chat needs a vocabulary with OpenASH's specials: give the model's vocabulary");
  Template tpl(v, t);
  for (const ChatMessage& m : messages) tpl.message(m);
  if (addGenerationPrompt) {
    tpl.special("<|im_start|>");
    tpl.special("<|agent|>");
  }
  return tpl.take();
}

std::vector<int64_t> encodeChat(const Vocabulary& v, const std::vector<ChatMessage>& messages) {
  return encodeChat(v, messages, defaultTokenizer(v));
}

}  // namespace maxstate
