#include "checkpoint/state_dict_finder.h"

#include <array>
#include <unordered_set>

#include "maxstate/error.h"

namespace maxstate::detail {
namespace {

// Wrapper keys tried in order. "model" and "state_dict" are what training scripts write; the others are
// common variants (tutorials, DeepSpeed).
constexpr std::array<std::string_view, 4> kWrapperKeys = {"model", "state_dict", "model_state_dict",
                                                          "module"};
// Containers nest a few levels in real files; the pickle reader already caps depth, this bounds our walk.
constexpr int kMaxWalkDepth = 64;

bool isScalar(const PyValue* v) {
  switch (v->kind) {
    case PyKind::None:
    case PyKind::Bool:
    case PyKind::Int:
    case PyKind::BigInt:
    case PyKind::Float:
    case PyKind::Str:
    case PyKind::Bytes:
      return true;
    default:
      return false;
  }
}

// A state dict maps string names to tensors; scalars beside them (rare) are tolerated and skipped.
bool isStateDict(const PyValue* v) {
  if (v->kind != PyKind::Dict) return false;
  bool anyTensor = false;
  for (size_t i = 0; i + 1 < v->items.size(); i += 2) {
    const PyValue* key = v->items[i];
    const PyValue* value = v->items[i + 1];
    if (key->kind != PyKind::Str) return false;
    if (value->kind == PyKind::Tensor)
      anyTensor = true;
    else if (!isScalar(value))
      return false;
  }
  return anyTensor;
}

bool isTorchScriptModule(const PyValue* v) {
  return v->kind == PyKind::Object && v->text.rfind("__torch__", 0) == 0;
}

std::string describe(const PyValue* v) {
  switch (v->kind) {
    case PyKind::Dict: {
      std::string keys;
      const size_t n = v->dictSize();
      for (size_t i = 0; i < n && i < 8; ++i) {
        const PyValue* k = v->items[2 * i];
        keys += (i ? ", " : "") +
                (k->kind == PyKind::Str ? "'" + k->text.substr(0, 60) + "'" : std::string(kindName(k->kind)));
      }
      if (n > 8) keys += ", ...";
      return n == 0 ? "an empty dict"
                    : "a dict with " + std::to_string(n) + (n == 1 ? " key (" : " keys (") + keys + ")";
    }
    case PyKind::List:
      return "a list of " + std::to_string(v->items.size()) + " items";
    case PyKind::Tuple:
      return "a tuple of " + std::to_string(v->items.size()) + " items";
    case PyKind::Tensor:
      return "a single tensor (no names)";
    case PyKind::Object:
      return "an object of type " + v->text;
    default:
      return std::string("a ") + kindName(v->kind);
  }
}

const PyValue* lookup(const PyValue* dict, std::string_view key) { return dict->find(key); }

// Only a Python int that fits int64 is a position in training: bools (their own kind here), floats, strings,
// tensors and larger integers are not, and leave the position unknown rather than guessed.
std::optional<int64_t> integerEntry(const PyValue* dict, std::string_view key) {
  const PyValue* v = lookup(dict, key);
  if (v && v->kind == PyKind::Int) return v->integer;
  return std::nullopt;
}

// Lightning writes "global_step" where hand-written loops write "step".
void readProgress(const PyValue* wrapper, FoundStateDict& out) {
  if (auto epoch = integerEntry(wrapper, "epoch")) out.epoch = epoch;
  if (auto step = integerEntry(wrapper, "step"))
    out.step = step;
  else if (!lookup(wrapper, "step"))
    if (auto global = integerEntry(wrapper, "global_step")) out.step = global;
}

bool find(const PyValue* v, int depth, FoundStateDict& out);

void collectStateDict(const PyValue* dict, FoundStateDict& out) {
  for (size_t i = 0; i + 1 < dict->items.size(); i += 2)
    out.entries.push_back({dict->items[i]->text, dict->items[i + 1]});
}

void flatten(const PyValue* module, const std::string& prefix, int depth,
             std::unordered_set<const PyValue*>& seen, FoundStateDict& out) {
  if (depth > kMaxWalkDepth || !seen.insert(module).second) return;
  const PyValue* state = module->state;
  if (!state || state->kind != PyKind::Dict) return;
  for (size_t i = 0; i + 1 < state->items.size(); i += 2) {
    const PyValue* key = state->items[i];
    const PyValue* value = state->items[i + 1];
    if (key->kind != PyKind::Str) continue;
    if (value->kind == PyKind::Tensor)
      out.entries.push_back({prefix + key->text, value});
    else if (isTorchScriptModule(value))
      flatten(value, prefix + key->text + ".", depth + 1, seen, out);
  }
}

bool find(const PyValue* v, int depth, FoundStateDict& out) {
  if (depth > kMaxWalkDepth) return false;
  if (isStateDict(v)) {
    collectStateDict(v, out);
    return true;
  }
  if (isTorchScriptModule(v)) {
    FoundStateDict flat = flattenModule(v);
    if (flat.entries.empty()) return false;
    out.entries = std::move(flat.entries);
    return true;
  }
  if (v->kind == PyKind::Dict) {
    for (std::string_view key : kWrapperKeys) {
      const PyValue* inner = lookup(v, key);
      if (inner && find(inner, depth + 1, out)) {
        // The wrapper's other entries (optimizer state, epoch, ...) are listed as skipped.
        for (size_t i = 0; i + 1 < v->items.size(); i += 2) {
          const PyValue* k = v->items[i];
          if (k->kind == PyKind::Str && k->text != key) out.skipped.push_back(k->text);
        }
        readProgress(v, out);
        return true;
      }
    }
    if (v->dictSize() == 1) return find(v->items[1], depth + 1, out);
    return false;
  }
  if (v->isSequence() && v->items.size() == 1) return find(v->items[0], depth + 1, out);
  return false;
}

}  // namespace

FoundStateDict flattenModule(const PyValue* module) {
  FoundStateDict out;
  std::unordered_set<const PyValue*> seen;
  flatten(module, "", 0, seen, out);
  return out;
}

FoundStateDict findStateDict(const PyValue* root) {
  FoundStateDict out;
  if (find(root, 0, out)) return out;
  throw Error(ErrorKind::Unsupported,
              "no state dict found: the file holds " + describe(root) +
                  ", and nothing in it maps parameter names to tensors. Expected what "
                  "torch.save(model.state_dict(), PATH) writes, or a dict with the weights under 'model' or "
                  "'state_dict'");
}

}  // namespace maxstate::detail
