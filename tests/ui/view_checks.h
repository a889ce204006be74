#pragma once
// Reads back what every view plots and compares it with the trace's own arrays at the session's cursor. Used
// by the window tests on the real core and on the test double alike.
#include <QTableWidget>
#include <QtTest>
#include <cmath>

#include "ui/data/view_data.h"
#include "ui/main_window.h"
#include "ui/views/alphas_view.h"
#include "ui/views/cursor_bar.h"
#include "ui/views/head_states_view.h"
#include "ui/views/predictions_view.h"
#include "ui/views/sources_view.h"
#include "ui/views/state_heatmap_view.h"
#include "ui/views/terms_view.h"
#include "ui/views/token_strip.h"
#include "ui_test_main.h"

namespace maxstate::test {

// Every check returns false (after a QTest failure message) at the first difference, so callers can
// `QVERIFY(checkX(...))` and see where.
template <class... A>
QString describe(const A&... a) {
  QString s;
  QDebug d(&s);
  ((d << a), ...);
  return s;
}

#define MS_CHECK(cond, ...)                                                      \
  do {                                                                           \
    if (!(cond)) {                                                               \
      qWarning().noquote() << "check failed:" << #cond << describe(__VA_ARGS__); \
      return false;                                                              \
    }                                                                            \
  } while (0)

// View 1: the colormap holds the selected head's state for every position; the cursor line is at the cursor.
inline bool checkHeatmap(ui::MainWindow& w) {
  const auto& s = w.session();
  const auto record = s.trace()->layer(s.layer());  // the core's own record, fetched independently
  const ui::RecordShape shape = ui::recordShape(*record);
  QCPColorMapData* data = w.heatmapView()->colorMap()->data();
  MS_CHECK(data->keySize() == shape.length && data->valueSize() == shape.headDim, data->keySize(),
           data->valueSize());
  for (int64_t p = 0; p < shape.length; ++p)
    for (int64_t j = 0; j < shape.headDim; ++j) {
      const double shown = data->cell(static_cast<int>(p), static_cast<int>(j));
      const double core = record->state.at({p, s.head(), j});
      MS_CHECK(shown == core, "position", p, "channel", j, shown, core);
    }
  MS_CHECK(w.heatmapView()->cursorLineX() == static_cast<double>(s.cursor()), w.heatmapView()->cursorLineX());
  // The tooltip names the value, the token and the source token of a cell at the cursor.
  const int64_t j = shape.headDim - 1;
  const int64_t src = record->source.at({s.cursor() - shape.begin, s.head(), j});
  const QString tip = w.heatmapView()->cellText(s.cursor(), j);
  MS_CHECK(tip.contains(QStringLiteral("source: position %1").arg(src)), tip);
  MS_CHECK(tip.contains(QString::number(record->state.at({s.cursor() - shape.begin, s.head(), j}), 'g', 6)),
           tip);
  return true;
}

// View 2: every head's state at the cursor.
inline bool checkHeadStates(ui::MainWindow& w) {
  const auto& s = w.session();
  const auto record = s.trace()->layer(s.layer());
  const ui::RecordShape shape = ui::recordShape(*record);
  QCPColorMapData* data = w.headStatesView()->colorMap()->data();
  MS_CHECK(data->keySize() == shape.heads && data->valueSize() == shape.headDim);
  for (int64_t h = 0; h < shape.heads; ++h)
    for (int64_t j = 0; j < shape.headDim; ++j)
      MS_CHECK(data->cell(static_cast<int>(h), static_cast<int>(j)) ==
                   record->state.at({s.cursor() - shape.begin, h, j}),
               h, j);
  return true;
}

// Share of channels of head h at position p held by token t, counted here from the core's source array.
inline double coreShare(const LayerRecord& r, int64_t p, int64_t h, int64_t t) {
  const int64_t dh = r.source.dim(2);
  int64_t n = 0;
  for (int64_t j = 0; j < dh; ++j) n += r.source.at({p - r.begin, h, j}) == t;
  return static_cast<double>(n) / static_cast<double>(dh);
}

// View 3 and the token strip's shading.
inline bool checkSources(ui::MainWindow& w) {
  const auto& s = w.session();
  const auto record = s.trace()->layer(s.layer());
  const ui::RecordShape shape = ui::recordShape(*record);
  QCPColorMapData* data = w.sourcesView()->colorMap()->data();
  const int64_t p = s.cursor();
  for (int64_t h = 0; h < shape.heads; ++h) {
    double total = 0;
    for (int64_t t = 0; t < shape.begin + shape.length; ++t) {
      const double cell = data->cell(static_cast<int>(t), static_cast<int>(h));
      const double shown = std::isnan(cell) ? 0.0 : cell;  // NaN: the token holds nothing
      const double core = t <= p ? coreShare(*record, p, h, t) : 0.0;
      MS_CHECK(std::abs(shown - core) < 1e-12, "head", h, "token", t, shown, core);
      total += shown;
    }
    MS_CHECK(std::abs(total - 1.0) < 1e-9, "head", h, "shares sum to", total);
  }
  const ui::TokenStripCanvas* strip = w.tokenStrip()->canvas();
  for (int64_t t = 0; t <= p; ++t)
    MS_CHECK(std::abs(strip->shade(t) - coreShare(*record, p, s.head(), t)) < 1e-12, "strip token", t);
  return true;
}

// View 4: term magnitudes over positions, and the breakdown at the cursor.
inline bool checkTerms(ui::MainWindow& w) {
  const auto& s = w.session();
  const auto record = s.trace()->layer(s.layer());
  const ui::RecordShape shape = ui::recordShape(*record);
  const int64_t dh = shape.headDim;
  auto norm = [&](int64_t t, int64_t p) {
    double sum = 0;
    for (int64_t j = 0; j < dh; ++j)
      sum += std::pow(static_cast<double>(record->terms.at({t, p - shape.begin, s.head(), j})), 2);
    return std::sqrt(sum);
  };
  QCustomPlot* lines = w.termsView()->linesPlot();
  MS_CHECK(lines->graphCount() == shape.terms, lines->graphCount());
  for (int t = 0; t < shape.terms; ++t) {
    auto data = lines->graph(t)->data();
    MS_CHECK(data->size() == shape.length);
    for (int64_t p = 0; p < shape.length; p += std::max<int64_t>(1, shape.length / 64))
      MS_CHECK(std::abs(data->at(static_cast<int>(p))->value - norm(t, shape.begin + p)) <=
                   1e-9 * (1 + norm(t, shape.begin + p)),
               "term", t, "position", p);
    MS_CHECK(std::abs(w.termsView()->barValue(t) - norm(t, s.cursor())) <= 1e-9 * (1 + norm(t, s.cursor())),
             "bar", t);
  }
  MS_CHECK(w.termsView()->cursorLineX() == static_cast<double>(s.cursor()));
  return true;
}

// View 5: alphas of every open checkpoint.
inline bool checkAlphas(ui::MainWindow& w) {
  const auto& s = w.session();
  for (int c = 0; c < s.checkpointCount(); ++c) {
    const auto alphas = s.checkpoint(c).model->alphas();
    for (size_t l = 0; l < alphas.size(); ++l)
      for (int k = 0; k < ui::kAlphaKinds; ++k) {
        const auto kind = static_cast<ui::AlphaKind>(k);
        const auto expected = ui::alphaValue(alphas[l], kind);
        const double shown = w.alphasView()->plottedValue(kind, c, static_cast<int>(l));
        if (expected)
          MS_CHECK(shown == static_cast<double>(*expected), "checkpoint", c, "layer", l, ui::alphaName(kind));
        else
          MS_CHECK(std::isnan(shown), "absent alpha plotted", c, l, ui::alphaName(kind));
      }
  }
  return true;
}

// View 6: predictions and the logit lens at the cursor (models only). The lens is computed off the GUI thread
// and follows the cursor shortly: wait for it.
inline bool checkPredictions(ui::MainWindow& w) {
  const auto& s = w.session();
  if (s.trace()->info().kind != ModelKind::Model) return true;
  QElapsedTimer timer;
  timer.start();
  while (w.predictionsView()->lensPosition() != s.cursor() && timer.elapsed() < kPatienceMs) QTest::qWait(5);
  MS_CHECK(w.predictionsView()->lensPosition() == s.cursor(), w.predictionsView()->lensPosition());
  const auto top = s.trace()->predictions(s.cursor());
  auto bars = w.predictionsView()->bars()->data();
  MS_CHECK(bars->size() == static_cast<int>(top.size()) && !top.empty(), bars->size());
  for (size_t k = 0; k < top.size(); ++k) {
    MS_CHECK(bars->at(static_cast<int>(k))->value == static_cast<double>(top[k].probability), k);
    MS_CHECK(w.predictionsView()->plottedTokens()[k] == top[k].token, k);
  }
  const auto lens = s.trace()->logitLens(s.cursor());
  QTableWidget* table = w.predictionsView()->lensTable();
  MS_CHECK(table->rowCount() == static_cast<int>(lens.size()) && table->rowCount() == s.layerCount());
  for (size_t l = 0; l < lens.size(); ++l)
    for (int k = 0; k < ui::PredictionsView::kLensColumns && k < static_cast<int>(lens[l].size()); ++k) {
      const QTableWidgetItem* item = table->item(static_cast<int>(l), k);
      MS_CHECK(item && item->data(ui::PredictionsView::kTokenRole).toLongLong() ==
                           lens[l][static_cast<size_t>(k)].token,
               l, k);
      MS_CHECK(item->data(ui::PredictionsView::kProbabilityRole).toFloat() ==
                   lens[l][static_cast<size_t>(k)].probability,
               l, k);
    }
  return true;
}

inline bool checkAllViews(ui::MainWindow& w) {
  return checkHeatmap(w) && checkHeadStates(w) && checkSources(w) && checkTerms(w) && checkAlphas(w) &&
         checkPredictions(w);
}

#undef MS_CHECK

}  // namespace maxstate::test
