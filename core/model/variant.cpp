// The variant names live in the torch-free maxstate_io so that recognising a checkpoint needs no LibTorch.
#include "maxstate/layer.h"

namespace maxstate {

const char* variantName(Variant v) { return v == Variant::Seed ? "seed" : "openash"; }
int termCount(Variant v) { return v == Variant::Seed ? 5 : 6; }

}  // namespace maxstate
