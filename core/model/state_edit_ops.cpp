#include "model/state_edit_ops.h"

#include <limits>

#include "maxstate/error.h"

namespace maxstate::detail {
namespace {

// The chunk's positions from `position` on, of one head (or all): [1, dh, n, 1 or H].
at::Tensor fromPosition(const at::Tensor& t, int64_t position, int64_t head, int64_t begin) {
  const int64_t S = t.size(2), from = std::max<int64_t>(position - begin, 0);
  at::Tensor rows = t.narrow(2, from, S - from);
  return head < 0 ? rows : rows.narrow(3, head, 1);
}

}  // namespace

at::Tensor knockedOut(const at::Tensor& c, const LayerEdits& edits, int64_t begin) {
  const int64_t end = begin + c.size(2);
  at::Tensor out = c;
  for (const StateEdit& e : edits) {
    if (e.kind != StateEdit::Kind::Knockout || e.position < begin || e.position >= end) continue;
    if (out.is_same(c)) out = c.clone();
    at::Tensor cell = out.narrow(2, e.position - begin, 1);
    if (e.head >= 0) cell = cell.narrow(3, e.head, 1);
    cell.fill_(-std::numeric_limits<float>::infinity());
  }
  return out;
}

void overwriteState(at::Tensor& e, at::Tensor& source, const LayerEdits& edits, int64_t begin,
                    const at::Tensor& before, const at::Tensor& beforeSource) {
  const int64_t end = begin + e.size(2);
  bool copied = false;
  for (const StateEdit& edit : edits) {
    const bool zero = edit.kind == StateEdit::Kind::Zero, freeze = edit.kind == StateEdit::Kind::Freeze;
    if ((!zero && !freeze) || edit.position >= end) continue;
    if (!copied) {
      e = e.clone();
      source = source.clone();
      copied = true;
    }
    if (zero) {
      fromPosition(e, edit.position, edit.head, begin).fill_(0);
      fromPosition(source, edit.position, edit.head, begin).fill_(-1);
      continue;
    }
    // The state at P - 1: in the chunk, or the one carried into it.
    const int64_t last = edit.position - 1;
    at::Tensor value, from;
    if (last >= begin) {
      value = e.narrow(2, last - begin, 1).narrow(3, edit.head, 1).clone();
      from = source.narrow(2, last - begin, 1).narrow(3, edit.head, 1).clone();
    } else if (last == begin - 1 && before.defined()) {
      value = before.narrow(3, edit.head, 1);
      from = beforeSource.narrow(3, edit.head, 1);
    } else {
      throw Error(ErrorKind::Internal, "a freeze from position " + std::to_string(edit.position) +
                                           " reached a chunk starting at " + std::to_string(begin));
    }
    at::Tensor target = fromPosition(e, edit.position, edit.head, begin);
    target.copy_(value.expand_as(target));
    at::Tensor targetSource = fromPosition(source, edit.position, edit.head, begin);
    targetSource.copy_(from.expand_as(targetSource));
  }
}

void dropTerm(at::Tensor& value, int term, const LayerEdits& edits, int64_t begin) {
  const int64_t end = begin + value.size(2);
  for (const StateEdit& e : edits) {
    if (e.kind == StateEdit::Kind::DropTerm && e.term == term && e.position < end)
      fromPosition(value, e.position, e.head, begin).zero_();
  }
}

}  // namespace maxstate::detail
