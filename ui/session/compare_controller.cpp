#include "ui/session/compare_controller.h"

#include <QFileInfo>
#include <algorithm>

#include "ui/session/input_prep.h"

namespace maxstate::ui {

namespace {

int indexOfModel(const Session& session, const ModelHandle* model) {
  for (int i = 0; i < session.checkpointCount(); ++i)
    if (session.checkpoint(i).model.get() == model) return i;
  return -1;
}

// The comparison as the what-if the views already know how to show: one position for one position.
std::shared_ptr<const WhatIf> asRuns(const Comparison& c, const std::vector<int64_t>& ids) {
  auto w = std::make_shared<WhatIf>();
  w->base = c.a;
  w->edited = c.b;
  w->editedIds = ids;
  const int64_t n = c.b->length();
  for (int64_t t = 0; t < n; ++t) w->baseOf.emplace_back(t);
  w->firstAffected = 0;
  for (size_t t = 0; t < c.kl.size(); ++t) {
    w->kl.emplace_back(c.kl[t]);
    w->top1Base.emplace_back(t < c.top1A.size() ? std::optional<int64_t>(c.top1A[t]) : std::nullopt);
    w->top1Edited.push_back(t < c.top1B.size() ? c.top1B[t] : -1);
  }
  return w;
}

}  // namespace

void sortByRelativeChange(std::vector<ParameterChange>& changes) {
  std::stable_sort(changes.begin(), changes.end(), [](const ParameterChange& x, const ParameterChange& y) {
    if (x.relChange.has_value() != y.relChange.has_value()) return x.relChange.has_value();
    return x.relChange && *x.relChange > *y.relChange;
  });
}

CompareController::CompareController(Session& session, ExplorerController& explorer, QObject* parent)
    : QObject(parent), m_session(session), m_explorer(explorer) {}

void CompareController::stop() {
  if (!m_session.comparing()) return;
  m_session.stopComparison();
  emit status(tr("Comparison stopped: the current checkpoint's trace is shown."));
}

void CompareController::compare(int a, int b) {
  const QString title = tr("Compare");
  if (a < 0 || b < 0 || a >= m_session.checkpointCount() || b >= m_session.checkpointCount()) {
    emit m_explorer.errorOccurred(title, tr("Select a checkpoint first (click it), then right-click another "
                                            "one and choose Compare with the selected one."));
    return;
  }
  if (a == b) {
    emit m_explorer.errorOccurred(title, tr("A checkpoint compared with itself shows no difference: select "
                                            "one checkpoint (A), then right-click another one (B)."));
    return;
  }
  const OpenCheckpoint& ca = m_session.checkpoint(a);
  const OpenCheckpoint& cb = m_session.checkpoint(b);
  const SessionInput input = m_session.input();
  if (ca.model->info().kind == ModelKind::Model && input.text.trimmed().isEmpty()) {
    emit m_explorer.errorOccurred(title, tr("Type some text (or ids) in the Input panel first: the two "
                                            "checkpoints are compared on it."));
    return;
  }
  const std::shared_ptr<const ModelHandle> modelA = ca.model, modelB = cb.model;
  const QString pathA = ca.path, pathB = cb.path;
  const int layer = m_session.layer();
  const QString what =
      tr("Comparing %1 with %2").arg(QFileInfo(pathA).fileName(), QFileInfo(pathB).fileName());
  m_explorer.work().enqueue(
      what,
      [this, modelA, modelB, pathA, pathB, input, layer,
       what](const Progress& progress) -> BackgroundWork::Commit {
        // The parameters first: two architectures that differ are refused there, naming the first key.
        auto comparison = std::make_shared<SessionComparison>();
        comparison->pathA = pathA;
        comparison->pathB = pathB;
        comparison->parameters = compareParameters(pathA.toStdString(), pathB.toStdString(), progress);
        sortByRelativeChange(comparison->parameters);
        PreparedInput prepared = prepareInput(*modelA, input);
        const Comparison c = modelA->compare(*modelB, prepared.ids, prepared.x, progress);
        comparison->layers = c.layers;
        comparison->top1Agree = c.top1Agree;
        comparison->hasPredictions = !c.kl.empty();
        std::shared_ptr<const WhatIf> runs = asRuns(c, prepared.ids);
        const int shown = std::clamp(layer, 0, c.a->layerCount() - 1);
        auto recordA = c.a->layer(shown), recordB = c.b->layer(shown);
        return [this, comparison, runs, modelA, modelB, labels = prepared.labels, shown, recordA, recordB,
                what] {
          const int ia = indexOfModel(m_session, modelA.get());
          if (ia < 0 || indexOfModel(m_session, modelB.get()) < 0) return;  // one was closed meanwhile
          m_session.setCurrentCheckpoint(ia);
          m_session.setComparison(comparison, runs, labels, ia, shown, recordA, recordB);
          emit status(comparison->hasPredictions ? tr("%1: top-1 predictions agree at %2% of positions")
                                                       .arg(what)
                                                       .arg(comparison->top1Agree * 100.0, 0, 'f', 1)
                                                 : tr("%1: done").arg(what));
        };
      });
}

}  // namespace maxstate::ui
