#include "whatif/edit_plan.h"

#include "maxstate/error.h"

namespace maxstate::detail {
namespace {

// An intervention (or a token edit's mark, for firstAffected) whose position later token edits move.
struct Placed {
  Edit edit;
  bool alive = true;
};

class Planner {
 public:
  Planner(const std::vector<int64_t>& ids, int64_t length, const ModelInfo& info) : m_info(info) {
    m_plan.ids = ids;
    m_plan.length = length;
    for (int64_t p = 0; p < length; ++p) m_plan.baseOf.push_back(p);
  }

  void apply(size_t number, const Edit& e) {
    m_name = "edit " + std::to_string(number + 1) + " (" + editSpec(e) + ")";
    if (isTokenEdit(e)) {
      if (m_info.kind != ModelKind::Model)
        fail("a bare layer has no tokens to edit: only knock-outs, state and term edits apply");
      applyToken(e);
    } else {
      checkIntervention(e);
    }
    m_placed.push_back({e});
  }

  EditPlan finish() {
    if (m_plan.length == 0)
      throw Error(ErrorKind::Usage, "the edits leave no position to run: keep at least one token");
    m_plan.layers.resize(static_cast<size_t>(m_info.layers));
    m_plan.firstAffected = m_plan.length;
    for (const Placed& p : m_placed) {
      if (!p.alive) continue;
      const Edit& e = p.edit;
      m_name = editSpec(e);
      if (e.kind == EditKind::Knockout && e.position == 0)
        fail("the edits before it moved it to position 0, which has nothing before it to keep");
      if (e.kind == EditKind::FreezeState && e.position == 0)
        fail("the edits before it moved it to position 0, where there is no state to freeze");
      m_plan.firstAffected = std::min(m_plan.firstAffected, e.position);
      if (!isTokenEdit(e)) addIntervention(e);
    }
    return std::move(m_plan);
  }

 private:
  [[noreturn]] void fail(const std::string& why) const { throw Error(ErrorKind::Usage, m_name + ": " + why); }

  void checkPosition(int64_t p, int64_t from, int64_t end) const {
    if (p < from || p >= end) {
      fail("position " + std::to_string(p) + " is outside the sequence (positions " + std::to_string(from) +
           ".." + std::to_string(end - 1) + " here)");
    }
  }

  void applyToken(const Edit& e) {
    auto& ids = m_plan.ids;
    auto& baseOf = m_plan.baseOf;
    const int64_t V = m_info.vocabSize.value_or(0);
    if (e.kind != EditKind::Delete && (e.token < 0 || e.token >= V))
      fail("token id " + std::to_string(e.token) + " is outside the vocabulary (ids 0.." +
           std::to_string(V - 1) + ")");
    checkPosition(e.position, 0, m_plan.length + (e.kind == EditKind::Insert ? 1 : 0));
    const auto at = static_cast<std::ptrdiff_t>(e.position);
    if (e.kind == EditKind::Replace) {
      ids[static_cast<size_t>(e.position)] = e.token;
      return;
    }
    const bool insert = e.kind == EditKind::Insert;
    if (insert) {
      ids.insert(ids.begin() + at, e.token);
      baseOf.insert(baseOf.begin() + at, std::nullopt);
    } else {
      ids.erase(ids.begin() + at);
      baseOf.erase(baseOf.begin() + at);
    }
    m_plan.length += insert ? 1 : -1;
    for (Placed& p : m_placed) {  // what was placed before this edit moves with the tokens
      int64_t& q = p.edit.position;
      if (insert && q >= e.position) ++q;
      if (!insert && q == e.position && p.edit.kind == EditKind::Knockout) p.alive = false;
      if (!insert && q > e.position) --q;
    }
  }

  void checkIntervention(const Edit& e) const {
    const bool knockout = e.kind == EditKind::Knockout;
    if (knockout && e.position == 0) fail("position 0 has nothing before it: knock out a position from 1 on");
    if (e.kind == EditKind::FreezeState && e.position == 0)
      fail("there is no state before position 0 to freeze: freeze from position 1 on");
    checkPosition(e.position, 0, m_plan.length);
    if (!(knockout && e.layer < 0) && (e.layer < 0 || e.layer >= m_info.layers))
      fail("layer " + std::to_string(e.layer) + " does not exist (layers 0.." +
           std::to_string(m_info.layers - 1) + ")");
    if (!(knockout && e.head < 0) && (e.head < 0 || e.head >= m_info.heads))
      fail("head " + std::to_string(e.head) + " does not exist (heads 0.." +
           std::to_string(m_info.heads - 1) + ")");
    const int terms = termCount(m_info.variant);
    if (e.kind == EditKind::DropTerm && (e.term < 1 || e.term > terms))
      fail("term T" + std::to_string(e.term) + " does not exist in the " + variantName(m_info.variant) +
           " variant (T1..T" + std::to_string(terms) + ")");
  }

  void addIntervention(const Edit& e) {
    StateEdit s;
    s.position = e.position;
    s.head = e.head;
    s.term = e.term - 1;
    s.kind = e.kind == EditKind::Knockout      ? StateEdit::Kind::Knockout
             : e.kind == EditKind::ZeroState   ? StateEdit::Kind::Zero
             : e.kind == EditKind::FreezeState ? StateEdit::Kind::Freeze
                                               : StateEdit::Kind::DropTerm;
    for (int l = 0; l < m_info.layers; ++l)
      if (e.layer < 0 || e.layer == l) m_plan.layers[static_cast<size_t>(l)].push_back(s);
  }

  const ModelInfo& m_info;
  EditPlan m_plan;
  std::vector<Placed> m_placed;
  std::string m_name;
};

}  // namespace

EditPlan planEdits(const std::vector<Edit>& edits, const std::vector<int64_t>& ids, int64_t length,
                   const ModelInfo& info) {
  if (edits.empty()) throw Error(ErrorKind::Usage, "no edits given: add at least one (--edit SPEC)");
  Planner planner(ids, length, info);
  for (size_t i = 0; i < edits.size(); ++i) planner.apply(i, edits[i]);
  return planner.finish();
}

}  // namespace maxstate::detail
