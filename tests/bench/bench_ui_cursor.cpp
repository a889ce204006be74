// How fast the explorer follows the cursor, and how fast it starts.
//   bench_ui_cursor [--tokens 2048] [--dim 768] [--heads 8] [--layers 12] [--vocab 23005] [--steps 300]
//                   [--explorer PATH_TO_maxstate-explorer [CHECKPOINT]]
// 1. One cursor step: a model of the given shape with random weights traces `tokens` ids through the real
// core;
//    the window (1600x1000, offscreen unless a display is set) is stepped through the positions, and the time
//    from the step to all views repainted is measured. Target: median <= 16 ms.
// 2. Launch to first trace shown: runs the explorer binary with --startup-benchmark (the bundled demo, or
//    CHECKPOINT) and times it from process start to its exit after the first trace was painted. Target: < 2
//    s.
#include <sys/resource.h>
#include <QApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>

#include <QFile>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <iostream>
#include <random>

#include <qcustomplot.h>
#include "maxstate/vocabulary.h"
#include "ui/main_window.h"
#include "ui/session/core_model.h"
#include "ui/views/cursor_bar.h"
#include "ui/views/head_states_view.h"
#include "ui/views/predictions_view.h"
#include "ui/views/sources_view.h"
#include "ui/views/state_heatmap_view.h"
#include "ui/views/terms_view.h"
#include "ui/views/token_strip.h"

using namespace maxstate;
using namespace maxstate::ui;

namespace {

struct Options {
  int64_t tokens = 2048, dim = 768, heads = 8, layers = 12, vocab = 23005;
  int steps = 300;
  QString explorer, checkpoint;
};

FloatArray randomMatrix(int64_t rows, int64_t cols, std::mt19937& rng, float scale) {
  FloatArray a({rows, cols});
  std::normal_distribution<float> normal(0.0f, scale);
  for (int64_t i = 0; i < a.size(); ++i) a[i] = normal(rng);
  return a;
}

FloatArray filled(int64_t n, float v) {
  FloatArray a({n});
  std::fill(a.data(), a.data() + n, v);
  return a;
}

// The published OpenASH shape with random weights.
ModelWeights randomModel(const Options& o) {
  std::mt19937 rng(7);
  const int64_t d = o.dim;
  const float s = 1.0f / std::sqrt(static_cast<float>(d));
  ModelWeights w;
  w.info.kind = ModelKind::Model;
  w.info.variant = Variant::OpenAsh;
  w.info.vocabSize = o.vocab;
  w.info.hidden = d;
  w.info.heads = o.heads;
  w.info.layers = o.layers;
  w.embedding = randomMatrix(o.vocab, d, rng, 1.0f);
  w.headScore = randomMatrix(o.vocab, d, rng, s);
  for (int64_t l = 0; l < o.layers; ++l) {
    DecoderLayerWeights layer;
    layer.attention.variant = Variant::OpenAsh;
    layer.attention.heads = o.heads;
    layer.attention.combined = randomMatrix(4 * d, d, rng, s);
    layer.attention.headLinear = randomMatrix(o.heads, 5 * o.heads, rng, 0.3f);
    layer.ffn1Weight = randomMatrix(d, d, rng, s);
    layer.gateWeight = randomMatrix(d, d, rng, s);
    layer.ffn2Weight = randomMatrix(d, d, rng, s);
    layer.ffn1Bias = filled(d, 0.0f);
    layer.gateBias = filled(d, 0.0f);
    layer.ffn2Bias = filled(d, 0.0f);
    layer.normWeight = filled(d, 1.0f);
    layer.normBias = filled(d, 0.0f);
    w.layers.push_back(std::move(layer));
  }
  return w;
}

class OneModelLoader : public ModelLoader {
 public:
  explicit OneModelLoader(std::shared_ptr<const ModelHandle> model) : m_model(std::move(model)) {}
  std::shared_ptr<const ModelHandle> open(const std::string&, std::optional<int64_t>) const override {
    return m_model;
  }
  void rememberHeads(const std::string&, int64_t) const override {}

 private:
  std::shared_ptr<const ModelHandle> m_model;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}
double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

// Everything a step causes: queued replots, then the paint events they post.
void settle() {
  for (int i = 0; i < 3; ++i) QCoreApplication::processEvents(QEventLoop::AllEvents);
}

void cursorBenchmark(const Options& o) {
  std::cout << "model: d=" << o.dim << " H=" << o.heads << " L=" << o.layers << " V=" << o.vocab << ", "
            << o.tokens << " tokens (random weights, real core)\n";
  QElapsedTimer timer;
  timer.start();
  auto model = std::make_shared<CoreModel>(randomModel(o), VocabularyChoice{});
  MainWindow window(std::make_shared<OneModelLoader>(model));
  window.resize(1600, 1000);
  window.show();
  SessionInput input;
  input.kind = InputKind::Ids;
  std::mt19937 rng(3);
  for (int64_t i = 0; i < o.tokens; ++i) input.text += QString::number(rng() % o.vocab) + " ";
  window.session().setInput(input);
  window.openFiles({QStringLiteral("/benchmark/random.pth")});
  if (!window.work().waitIdle(600000) || window.session().length() != o.tokens) {
    std::cerr << "the trace did not finish\n";
    std::exit(1);
  }
  std::cout << "trace ready after " << timer.elapsed() << " ms\n";
  Session& s = window.session();
  s.setLayer(static_cast<int>(o.layers / 2), s.trace()->layer(static_cast<int>(o.layers / 2)));
  settle();

  std::vector<double> steps, bigSteps, layerSwitch, updates, lens;
  s.setCursor(o.tokens / 4);
  settle();
  for (int i = 0; i < o.steps; ++i) {
    timer.restart();
    s.moveCursor(1);
    updates.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    settle();
    steps.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
  }
  for (int i = 0; i < 50; ++i) {
    timer.restart();
    s.trace()->predictions(s.cursor());
    s.trace()->logitLens(s.cursor());
    lens.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
  }
  std::cout << "  of which the views' updates (before painting): median " << median(updates)
            << " ms; the core's predictions + logit lens at one position: median " << median(lens) << " ms\n";
  for (int i = 0; i < o.steps / 4; ++i) {
    timer.restart();
    s.moveCursor(i % 2 ? -16 : 16);
    settle();
    bigSteps.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
  }
  for (int i = 0; i < 6; ++i) {
    timer.restart();
    s.setHead(static_cast<int>((s.head() + 1) % o.heads));
    settle();
    layerSwitch.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
  }
  std::cout << "cursor step (all views repainted): median " << median(steps) << " ms, 90th percentile "
            << percentile(steps, 0.9) << " ms over " << steps.size() << " steps (target <= 16 ms)\n";
  std::cout << "16-position step: median " << median(bigSteps) << " ms\n";
  // Where a step's time goes: painting each view once more (buffers as they are), and each plot's average
  // replot time (QCustomPlot keeps it).
  const std::vector<std::pair<const char*, QWidget*>> views = {
      {"state heatmap", window.heatmapView()},   {"head states", window.headStatesView()},
      {"sources", window.sourcesView()},         {"terms", window.termsView()},
      {"predictions", window.predictionsView()}, {"token strip", window.tokenStrip()},
      {"cursor bar", window.cursorBar()}};
  for (const auto& [name, view] : views) {
    std::vector<double> paints;
    for (int i = 0; i < 20; ++i) {
      timer.restart();
      view->repaint();
      paints.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    std::cout << "  paint " << name << ": " << median(paints) << " ms\n";
  }
  for (QCustomPlot* plot : window.findChildren<QCustomPlot*>())
    std::cout << "  replot " << plot->objectName().toStdString() << ": " << plot->replotTime(true) << " ms\n";
  std::cout << "head change (colour maps refilled): median " << median(layerSwitch) << " ms\n";
  // A layer change asks the core for that layer's full record: recomputed from the stored layer input the
  // first time, cached afterwards.
  std::vector<double> firstVisit, cachedVisit;
  for (int pass = 0; pass < 2; ++pass)
    for (int l = 0; l < std::min<int>(4, static_cast<int>(o.layers)); ++l) {
      timer.restart();
      s.setLayer(l, s.trace()->layer(l));  // the core's time, then the views'
      settle();
      (pass == 0 ? firstVisit : cachedVisit).push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
  std::cout << "layer change: median " << median(firstVisit) << " ms when the core recomputes the record, "
            << median(cachedVisit) << " ms when it is cached\n";
  // What the user gets: the request returns at once, the views switch when the worker has the record.
  std::vector<double> request, shown;
  for (int l = 4; l < std::min<int>(8, static_cast<int>(o.layers)); ++l) {
    timer.restart();
    window.controller().selectLayer(l);
    request.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    while (s.layer() != l) QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    settle();
    shown.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
  }
  if (!request.empty())
    std::cout << "layer change from the keyboard: the GUI thread is busy " << median(request)
              << " ms (the window stays responsive); the new layer shows after " << median(shown) << " ms\n";
}

void startupBenchmark(const Options& o) {
  if (o.explorer.isEmpty()) return;
  QStringList args{QStringLiteral("--startup-benchmark")};
  if (!o.checkpoint.isEmpty())
    args << "--text"
         << "the state only grows, and it never forgets a word." << o.checkpoint;
  std::vector<double> runs, cpuRuns;
  double cpuBefore = 0;
  for (int i = 0; i < 3; ++i) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    QElapsedTimer timer;
    timer.start();
    p.start(o.explorer, args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
      std::cerr << "the explorer did not show a trace: " << p.readAll().toStdString() << "\n";
      return;
    }
    runs.push_back(static_cast<double>(timer.elapsed()));
    rusage children{};
    getrusage(RUSAGE_CHILDREN, &children);
    const double cpu = static_cast<double>(children.ru_utime.tv_sec + children.ru_stime.tv_sec) * 1e3 +
                       static_cast<double>(children.ru_utime.tv_usec + children.ru_stime.tv_usec) / 1e3;
    cpuRuns.push_back(cpu - cpuBefore);
    cpuBefore = cpu;
    for (const QByteArray& line : p.readAll().split('\n'))
      if (line.startsWith("first trace")) std::cout << "  explorer says: " << line.toStdString() << "\n";
  }
  std::cout << "launch to first trace shown ("
            << (o.checkpoint.isEmpty() ? "bundled demo" : o.checkpoint.toStdString()) << "): median "
            << median(runs) << " ms over " << runs.size() << " launches (target < 2000 ms); CPU time "
            << median(cpuRuns) << " ms per launch\n";
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  {
    // Figures depend on what else runs: say so.
    QFile load(QStringLiteral("/proc/loadavg"));
    if (load.open(QIODevice::ReadOnly))
      std::cout << "load average: " << load.readLine().trimmed().toStdString() << "\n";
  }
  for (int i = 1; i < argc; ++i) {
    auto next = [&] { return i + 1 < argc ? argv[++i] : ""; };
    if (!std::strcmp(argv[i], "--tokens"))
      o.tokens = std::atoll(next());
    else if (!std::strcmp(argv[i], "--dim"))
      o.dim = std::atoll(next());
    else if (!std::strcmp(argv[i], "--heads"))
      o.heads = std::atoll(next());
    else if (!std::strcmp(argv[i], "--layers"))
      o.layers = std::atoll(next());
    else if (!std::strcmp(argv[i], "--vocab"))
      o.vocab = std::atoll(next());
    else if (!std::strcmp(argv[i], "--steps"))
      o.steps = std::atoi(next());
    else if (!std::strcmp(argv[i], "--explorer")) {
      o.explorer = QString::fromLocal8Bit(next());
      if (i + 1 < argc && argv[i + 1][0] != '-') o.checkpoint = QString::fromLocal8Bit(argv[++i]);
    } else {
      std::cerr << "unknown argument " << argv[i] << "\n";
      return 2;
    }
  }
  if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
      qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
    qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QStandardPaths::setTestModeEnabled(true);  // never touch the user's settings
  cursorBenchmark(o);
  startupBenchmark(o);
  return 0;
}
