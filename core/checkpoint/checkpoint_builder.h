#pragma once
// The step every format ends with: names cleaned of wrapper prefixes, views checked against their storages'
// declared sizes, floating tensors kept (to be read and converted on use), everything else listed as skipped.
#include <string>
#include <vector>

#include "checkpoint/tensor_view.h"
#include "maxstate/checkpoint.h"

namespace maxstate::detail {

// Removes leading `module.` (DistributedDataParallel) and `_orig_mod.` (torch.compile), in any combination.
std::string stripWrapperPrefixes(std::string name);

class CheckpointBuilder {
 public:
  explicit CheckpointBuilder(CheckpointFormat format) { m_result.format = format; }

  void addTensor(const std::string& name, const TensorView& view);
  void skip(const std::string& name);
  // The kept tensors, none read yet. Throws Error(Unsupported) when no floating tensor is left,
  // Error(BadFile) when the views would repeat their storages' data absurdly often.
  Checkpoint finish();

 private:
  struct Pending {
    std::string name;
    TensorView view;
    int64_t numel = 0;
  };
  Checkpoint m_result;
  std::vector<Pending> m_pending;
};

}  // namespace maxstate::detail
