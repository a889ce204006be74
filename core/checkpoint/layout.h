#pragma once
// Which of the known key layouts a checkpoint follows, and under which prefix (a training script may have
// saved the model or layer as a member, e.g. `layer.combined.weight` or
// `self_attention_linear.combined.weight`).
#include <optional>
#include <string>

#include "maxstate/checkpoint.h"

namespace maxstate::detail {

enum class LayoutKind { Unknown, Model, Layer };

struct Layout {
  LayoutKind kind = LayoutKind::Unknown;
  std::string prefix;  // "" or ending in '.'
};

// A model when any key belongs to one (em.weight, head_score.weight, decoder_layers.N.* outside the attention
// layer, or attention layers of several decoder layers); a bare layer when exactly one combined.weight
// exists.
Layout detectLayout(const Checkpoint& checkpoint);

// "17" -> 17 for a decoder layer index written the way PyTorch writes it (no sign, no leading zeros, at most
// five digits); nullopt for anything else.
std::optional<int> parseLayerIndex(const std::string& text);

}  // namespace maxstate::detail
