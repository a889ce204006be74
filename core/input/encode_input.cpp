// What the user gives -> validated token ids: the one place where text, chats and id lists become ids, for
// the explorer and every command alike.
#include "maxstate/chat.h"
#include "maxstate/error.h"
#include "maxstate/input.h"
#include "maxstate/npy.h"
#include "util/read_file.h"

namespace maxstate {
namespace {

std::vector<int64_t> idsFromFile(const std::string& path) {
  const std::string bytes = detail::readUserFile(path, "token ids");
  if (bytes.rfind("\x93NUMPY", 0) != 0) {
    try {
      return parseIdList(bytes);
    } catch (const Error& e) {
      throw Error(ErrorKind::BadFile, path + ": neither a .npy file nor a text list of ids: " + e.what());
    }
  }
  const IndexArray a = readNpyIndex(path);
  if (!(a.ndim() == 1 || (a.ndim() == 2 && a.dim(0) == 1)))
    throw Error(ErrorKind::BadFile,
                path + ": expected a 1-D array of token ids, got shape " + shapeToString(a.shape()));
  for (int64_t i = 0; i < a.size(); ++i)
    if (a[i] < 0)
      throw Error(ErrorKind::BadFile, path + ": token id " + std::to_string(a[i]) + " at position " +
                                          std::to_string(i) + " is negative: ids start at 0");
  return {a.data(), a.data() + a.size()};
}

Tokenizer textTokenizer(const InputRequest& request, const Vocabulary& vocabulary) {
  if (vocabulary.format() == VocabularyFormat::RawIds)
    throw Error(
        ErrorKind::Usage,
        "text needs the model's vocabulary and none was found beside the checkpoint: give the vocabulary "
        "(--vocab FILE) or token ids");
  return request.tokenizer.value_or(defaultTokenizer(vocabulary));
}

// Errors in a file's content name the file and make it unusable (exit 1), not a usage error.
template <class F>
auto forFile(const std::string& path, F&& f) {
  try {
    return f();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::Usage) throw;
    throw Error(ErrorKind::BadFile, path + ": " + e.what());
  }
}

EncodedInput encode(const InputRequest& request, const Vocabulary& vocabulary) {
  switch (request.kind) {
    case InputKind::Ids:
      return {parseIdList(request.value), std::nullopt};
    case InputKind::IdsFile:
      return {idsFromFile(request.value), std::nullopt};
    case InputKind::Text: {
      const Tokenizer t = textTokenizer(request, vocabulary);
      return {tokenize(vocabulary, request.value, t), t};
    }
    case InputKind::TextFile: {
      const Tokenizer t = textTokenizer(request, vocabulary);
      const std::string text = detail::readUserFile(request.value, "text");
      return {forFile(request.value, [&] { return tokenize(vocabulary, text, t); }), t};
    }
    case InputKind::Chat: {
      const Tokenizer t = textTokenizer(request, vocabulary);
      return {encodeChat(vocabulary, parseChat(request.value, "the conversation"), t), t};
    }
    case InputKind::ChatFile: {
      const Tokenizer t = textTokenizer(request, vocabulary);
      const auto messages = loadChat(request.value);
      return {encodeChat(vocabulary, messages, t), t};
    }
  }
  throw Error(ErrorKind::Internal, "unknown input kind");
}

}  // namespace

const char* inputKindName(InputKind kind) {
  switch (kind) {
    case InputKind::Text:
      return "text";
    case InputKind::TextFile:
      return "text-file";
    case InputKind::Chat:
      return "chat";
    case InputKind::ChatFile:
      return "chat";
    case InputKind::Ids:
      return "ids";
    case InputKind::IdsFile:
      return "ids-file";
  }
  return "?";
}

EncodedInput encodeInput(const InputRequest& request, const Vocabulary& vocabulary,
                         std::optional<int64_t> modelVocabSize) {
  if ((request.kind == InputKind::Text || request.kind == InputKind::Ids) && request.value.empty())
    throw Error(ErrorKind::Usage, std::string("the input is empty: give some ") +
                                      (request.kind == InputKind::Text ? "text" : "token ids"));
  EncodedInput out = encode(request, vocabulary);
  const bool fromFile = request.kind == InputKind::TextFile || request.kind == InputKind::ChatFile ||
                        request.kind == InputKind::IdsFile;
  const std::string where = fromFile ? request.value + ": " : "";
  const ErrorKind kind = fromFile ? ErrorKind::BadFile : ErrorKind::Usage;
  if (out.ids.empty()) throw Error(kind, where + "the input gave no tokens: give some text or ids");
  if (modelVocabSize)
    for (size_t i = 0; i < out.ids.size(); ++i)
      if (out.ids[i] >= *modelVocabSize)
        throw Error(kind, where + "token id " + std::to_string(out.ids[i]) + " at position " +
                              std::to_string(i) + " is outside the model's vocabulary (ids 0.." +
                              std::to_string(*modelVocabSize - 1) + ")");
  return out;
}

}  // namespace maxstate
