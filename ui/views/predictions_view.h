#pragma once
// View 6: for whole models, the next-token predictions at the cursor (top-k with probabilities) and the logit
// lens: what each layer's residual stream would predict if the head were applied there. The lens is computed
// off the GUI thread by the controller; this view shows what the session holds.
#include <QWidget>
#include <vector>

#include "ui/session/session.h"
#include "ui/views/themed_plot.h"

class QLabel;
class QTableWidget;

namespace maxstate::ui {

class PredictionsView : public QWidget {
  Q_OBJECT
 public:
  explicit PredictionsView(Session& session, QWidget* parent = nullptr);

  ThemedPlot* plot() const { return m_plot; }
  QCPBars* bars() const { return m_bars; }
  // What if? (edited run on display): the base run's probability of each plotted token at the cursor's base
  // position, beside the edited run's bars; empty otherwise.
  QCPBars* baseBars() const { return m_baseBars; }
  QTableWidget* lensTable() const { return m_lens; }
  // Ids of the plotted predictions, best first.
  const std::vector<int64_t>& plottedTokens() const { return m_tokens; }
  // The position the logit-lens table shows; -1 while it is being computed (it follows the cursor shortly).
  int64_t lensPosition() const { return m_lensPosition; }
  static constexpr int kLensColumns = 3;
  // Each lens cell also carries its token id and probability (float) under these roles.
  static constexpr int kTokenRole = Qt::UserRole;
  static constexpr int kProbabilityRole = Qt::UserRole + 1;
  // The logit lens shown, for export: one row per layer and rank (layer, rank, token id, token, probability);
  // .npy [layers, ranks]. Throws Error(Usage) while it is being computed or when there is none.
  PlotTable lensData() const;

 signals:
  void lensExportRequested();  // the lens table's context menu

 private:
  void update();
  void showLens(const LensRows& lens);
  void showMessage(const QString& message);
  void showBase(int64_t position);

  Session& m_session;
  QLabel* m_message;
  ThemedPlot* m_plot;
  QCPBars* m_bars;
  QCPBars* m_baseBars;
  QCPBarsGroup* m_group;
  QTableWidget* m_lens;
  std::vector<int64_t> m_tokens;
  int64_t m_lensPosition = -1;
  LensRows m_shownLens;
};

}  // namespace maxstate::ui
