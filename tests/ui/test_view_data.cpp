// The small functions behind every number the views show, on records whose answers are known by hand.
#include <QtTest>
#include <cmath>

#include "maxstate/error.h"
#include "ui/data/view_data.h"
#include "ui/session/input_prep.h"
#include "ui_test_main.h"

using namespace maxstate;
using namespace maxstate::ui;

namespace {

// S=4 positions, H=2 heads, dh=4 channels, T=2 terms, starting at global position 10.
LayerRecord handRecord() {
  LayerRecord r;
  r.begin = 10;
  r.state = FloatArray({4, 2, 4});
  r.source = IndexArray({4, 2, 4});
  r.terms = FloatArray({2, 4, 2, 4});
  r.output = FloatArray({4, 8});
  // Head 0 at position 13: channels held by tokens 10, 12, 12, 13. Head 1: all by 11.
  const int64_t src0[4] = {10, 12, 12, 13};
  for (int64_t j = 0; j < 4; ++j) {
    r.source.at({3, 0, j}) = src0[j];
    r.source.at({3, 1, j}) = 11;
    r.state.at({3, 0, j}) = static_cast<float>(j) + 0.5f;
  }
  // Term 1 at position 12, head 1: (3, 4, 0, 0) -> norm 5.
  r.terms.at({1, 2, 1, 0}) = 3;
  r.terms.at({1, 2, 1, 1}) = -4;
  return r;
}

}  // namespace

class TestViewData : public QObject {
  Q_OBJECT
 private slots:
  void sharesCountChannelsPerToken() {
    const LayerRecord r = handRecord();
    const auto s = sourceShares(r, 13, 0);
    QCOMPARE(s.size(), size_t(14));  // tokens 0..13
    QCOMPARE(s[10], 0.25);
    QCOMPARE(s[11], 0.0);
    QCOMPARE(s[12], 0.5);
    QCOMPARE(s[13], 0.25);
    const auto all = sourceSharesAllHeads(r, 13);
    QCOMPARE(all.size(), size_t(2));
    QCOMPARE(all[1][11], 1.0);
    double total = 0;
    for (double v : all[0]) total += v;
    QCOMPARE(total, 1.0);
  }
  void sharesOutsideTheRecordAreEmpty() {
    const LayerRecord r = handRecord();
    const auto s = sourceShares(r, 5, 0);  // before the record begins
    QCOMPARE(s.size(), size_t(6));
    for (double v : s) QCOMPARE(v, 0.0);
  }
  void stateAndSourceUseGlobalPositions() {
    const LayerRecord r = handRecord();
    QCOMPARE(r.stateAt(13, 0, 2), 2.5f);
    QCOMPARE(r.sourceAt(13, 0, 1), int64_t(12));
    QVERIFY(r.hasPosition(10));
    QVERIFY(r.hasPosition(13));
    QVERIFY(!r.hasPosition(14));
    QVERIFY(!r.hasPosition(9));
  }
  void termMagnitudeIsTheL2NormOverTheHeadsChannels() {
    const LayerRecord r = handRecord();
    QCOMPARE(termMagnitude(r, 1, 12, 1), 5.0);
    QCOMPARE(termMagnitude(r, 0, 12, 1), 0.0);
    const auto all = termMagnitudes(r, 1);
    QCOMPARE(all.size(), size_t(2));
    QCOMPARE(all[1].size(), size_t(4));
    QCOMPARE(all[1][2], 5.0);
    const auto bd = termBreakdown(r, 12, 1);
    QCOMPARE(bd.size(), size_t(2));
    QCOMPARE(bd[1], 5.0);
    QCOMPARE(termName(5), QStringLiteral("T6"));
  }
  void alphasFollowTheVariant() {
    DecoderLayerWeights w;
    w.attention.variant = Variant::Seed;
    w.attention.alpha1 = 0.1f;
    w.attention.alpha4 = 0.4f;
    w.residualAlpha = 0.7f;
    LayerAlphas a = alphasOf(w, ModelKind::Model);
    QCOMPARE(*a.alpha1, 0.1f);
    QCOMPARE(*a.alpha4, 0.4f);
    QCOMPARE(*a.residual, 0.7f);
    w.attention.variant = Variant::OpenAsh;
    a = alphasOf(w, ModelKind::Layer);
    QVERIFY(!a.alpha4);    // OpenASH has no alpha4
    QVERIFY(!a.residual);  // a bare layer has no residual alpha
    QCOMPARE(alphaValue(a, AlphaKind::Alpha1), std::optional<float>(0.1f));
    QCOMPARE(alphaName(AlphaKind::Residual), QStringLiteral("residual alpha"));
  }
  void randomLayerInputIsSeeded() {
    const FloatArray a = randomLayerInput(5, 8), b = randomLayerInput(5, 8);
    QCOMPARE(a.shape(), (Shape{5, 8}));
    for (int64_t i = 0; i < a.size(); ++i) QCOMPARE(a[i], b[i]);
    double sum = 0;
    for (int64_t i = 0; i < a.size(); ++i) sum += std::abs(a[i]);
    QVERIFY(sum > 0);
  }
};

MAXSTATE_UI_TEST_MAIN(TestViewData)
#include "test_view_data.moc"
