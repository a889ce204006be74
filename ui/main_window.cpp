#include "ui/main_window.h"

#include <QCloseEvent>
#include <QDockWidget>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

#include "ui/session/compare_controller.h"
#include "ui/session/whatif_controller.h"
#include "ui/views/alphas_view.h"
#include "ui/views/checkpoint_list.h"
#include "ui/views/cursor_bar.h"
#include "ui/views/empty_page.h"
#include "ui/views/head_states_view.h"
#include "ui/views/input_panel.h"
#include "ui/views/predictions_view.h"
#include "ui/views/selection_bar.h"
#include "ui/views/sources_view.h"
#include "ui/views/state_heatmap_view.h"
#include "ui/views/terms_view.h"
#include "ui/views/token_strip.h"

namespace maxstate::ui {

MainWindow::MainWindow(std::shared_ptr<const ModelLoader> loader, QWidget* parent) : QMainWindow(parent) {
  m_controller = std::make_unique<ExplorerController>(m_session, std::move(loader));
  m_controller->setAskHeads([this](const QString& path, const QString& why) { return askHeads(path, why); });
  setAcceptDrops(true);
  setDockNestingEnabled(true);
  resize(1400, 900);
  buildViews();
  buildWhatIf();
  buildCompare();
  buildStatusBar();
  buildMenus();
  m_defaultState = saveState();
  restoreGeometry(m_settings.windowGeometry());
  restoreState(m_settings.windowState());
  m_cursorBar->setSpeed(m_settings.playSpeed());

  connect(m_controller.get(), &ExplorerController::errorOccurred, this, &MainWindow::showError);
  connect(m_controller.get(), &ExplorerController::status, this,
          [this](const QString& message) { m_statusLabel->setText(message); });
  connect(m_controller.get(), &ExplorerController::fontsMissing, this, &MainWindow::showFontWarning);
  connect(m_controller.get(), &ExplorerController::opened, this, [this](const QString& path) {
    m_settings.addRecentFile(path);
    refreshRecentMenu();
  });
  connect(&m_session, &Session::traceChanged, this, &MainWindow::updateTitle);
  connect(&m_session, &Session::checkpointsChanged, this, &MainWindow::updateTitle);
  connect(m_cursorBar, &CursorBar::speedChanged, this, [this](int v) { m_settings.setPlaySpeed(v); });
  updateTitle();
}

MainWindow::~MainWindow() {
  // The worker may still be tracing: stop it before the session it would write to goes away.
  m_controller->cancel();
  m_whatIf.reset();
  m_compare.reset();
}

void MainWindow::buildViews() {
  // The centre: the token strip over the heatmap, or while nothing is traced, what to do next.
  m_centre = new QStackedWidget(this);
  auto* traced = new QWidget(m_centre);
  auto* layout = new QVBoxLayout(traced);
  layout->setContentsMargins(2, 2, 2, 2);
  m_tokens = new TokenStrip(m_session, traced);
  m_heatmap = new StateHeatmapView(m_session, traced);
  layout->addWidget(m_tokens);
  layout->addWidget(m_heatmap, 1);
  m_empty = new EmptyPage(m_session, m_centre);
  m_empty->setDemoAvailable(false);
  connect(m_empty, &EmptyPage::openRequested, this, &MainWindow::openDialog);
  connect(m_empty, &EmptyPage::demoRequested, this, [this] { openDemo(0); });
  m_centre->addWidget(m_empty);
  m_centre->addWidget(traced);
  auto showCentre = [this, traced] { m_centre->setCurrentWidget(m_session.trace() ? traced : m_empty); };
  connect(&m_session, &Session::traceChanged, this, showCentre);
  showCentre();
  setCentralWidget(m_centre);

  auto* cursorTools = addToolBar(tr("Cursor"));
  cursorTools->setObjectName("cursorToolBar");
  m_selection = new SelectionBar(m_session, *m_controller, cursorTools);
  m_cursorBar = new CursorBar(m_session, cursorTools);
  cursorTools->addWidget(m_selection);
  cursorTools->addSeparator();
  cursorTools->addWidget(m_cursorBar);

  m_input = new InputPanel(m_session, *m_controller, this);
  m_checkpoints = new CheckpointList(m_session, *m_controller, this);
  m_headStates = new HeadStatesView(m_session, this);
  m_sources = new SourcesView(m_session, this);
  m_terms = new TermsView(m_session, this);
  m_alphas = new AlphasView(m_session, this);
  m_predictions = new PredictionsView(m_session, this);

  m_viewMenu = new QMenu(tr("&View"), this);
  auto dock = [this](QWidget* w, const QString& title, const QString& name, Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(name);
    d->setWidget(w);
    addDockWidget(area, d);
    m_viewMenu->addAction(d->toggleViewAction());
    return d;
  };
  QDockWidget* input = dock(m_input, tr("Input"), "inputDock", Qt::LeftDockWidgetArea);
  QDockWidget* checkpoints =
      dock(m_checkpoints, tr("Checkpoints"), "checkpointsDock", Qt::LeftDockWidgetArea);
  QDockWidget* alphas = dock(m_alphas, tr("Alphas"), "alphasDock", Qt::LeftDockWidgetArea);
  QDockWidget* heads =
      dock(m_headStates, tr("State at cursor, all heads"), "headStatesDock", Qt::RightDockWidgetArea);
  QDockWidget* sources = dock(m_sources, tr("Sources"), "sourcesDock", Qt::BottomDockWidgetArea);
  QDockWidget* terms = dock(m_terms, tr("Terms"), "termsDock", Qt::BottomDockWidgetArea);
  QDockWidget* predictions =
      dock(m_predictions, tr("Predictions"), "predictionsDock", Qt::RightDockWidgetArea);
  tabifyDockWidget(checkpoints, alphas);
  checkpoints->raise();
  splitDockWidget(sources, terms, Qt::Horizontal);
  resizeDocks({input, checkpoints}, {200, 420}, Qt::Vertical);
  resizeDocks({input, heads}, {300, 420}, Qt::Horizontal);
  resizeDocks({heads, predictions}, {300, 420}, Qt::Vertical);
  resizeDocks({sources}, {360}, Qt::Vertical);
  (void)predictions;
}

void MainWindow::buildStatusBar() {
  m_statusLabel = new QLabel(this);
  m_progress = new QProgressBar(this);
  m_progress->setMaximumWidth(240);
  m_progress->setVisible(false);
  m_cancel = new QPushButton(tr("Cancel"), this);
  m_cancel->setToolTip(tr("Stop the running work; the previous trace stays (Esc)"));
  m_cancel->setVisible(false);
  statusBar()->addWidget(m_statusLabel, 1);
  statusBar()->addPermanentWidget(m_progress);
  statusBar()->addPermanentWidget(m_cancel);
  connect(m_cancel, &QPushButton::clicked, m_controller.get(), &ExplorerController::cancel);
  connect(&work(), &BackgroundWork::started, this, [this](const QString& what) {
    m_statusLabel->setText(what + QStringLiteral("..."));
    m_progress->setRange(0, 0);  // busy until the first report
    m_progress->setVisible(true);
    m_cancel->setVisible(true);
  });
  connect(&work(), &BackgroundWork::progress, this, [this](qint64 done, qint64 total) {
    if (total <= 0) return;
    // QProgressBar takes ints: report per mille.
    m_progress->setRange(0, 1000);
    m_progress->setValue(static_cast<int>(1000 * done / total));
  });
  connect(&work(), &BackgroundWork::finished, this,
          [this](const QString& what) { m_statusLabel->setText(what + tr(": done")); });
  connect(&work(), &BackgroundWork::idle, this, [this] {
    m_progress->setVisible(false);
    m_cancel->setVisible(false);
  });
}

void MainWindow::showError(const QString& title, const QString& message) {
  m_statusLabel->setText(title + tr(": failed"));
  // Window-modal but not blocking: the explorer keeps running (and a test can find and close the box).
  auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setObjectName("errorDialog");
  box->open();
  emit errorShown(title, message);
}

std::optional<int64_t> MainWindow::askHeads(const QString& path, const QString& why) {
  bool ok = false;
  const int heads = QInputDialog::getInt(
      this, tr("Number of heads"),
      tr("%1\n\n%2\n\nHow many heads does this layer have? The answer is remembered beside the file.")
          .arg(QFileInfo(path).fileName(), why),
      8, 1, 65536, 1, &ok);
  if (!ok) return std::nullopt;
  return heads;
}

bool MainWindow::showsEmptyPage() const { return m_centre->currentWidget() == m_empty; }

void MainWindow::openDemo(int index) {
  const DemoSetup demo = index >= 0 && index < m_demos.size() ? m_demos[index] : DemoSetup{};
  if (demo.modelPath.isEmpty() || !QFileInfo::exists(demo.modelPath)) {
    showError(tr("Demo model"),
              tr("The bundled demo model was not found (%1). Open a checkpoint with File > Open.")
                  .arg(demo.modelPath));
    return;
  }
  SessionInput input;
  input.text = demo.text;
  input.tokenizer = demo.tokenizer;
  m_session.setInput(input);
  m_controller->open(demo.modelPath);
}

void MainWindow::openFiles(const QStringList& paths) {
  for (const QString& p : paths) {
    if (p.isEmpty()) continue;
    if (QFileInfo(p).isDir()) {  // a dropped folder: every checkpoint in it
      openFolder(p);
      continue;
    }
    m_settings.setLastFolder(QFileInfo(p).absolutePath());
    m_controller->open(p);
  }
}

void MainWindow::updateTitle() {
  const int i = m_session.tracedCheckpoint();
  setWindowTitle(i < 0
                     ? tr("MaxState Explorer")
                     : tr("%1 - MaxState Explorer").arg(QFileInfo(m_session.checkpoint(i).path).fileName()));
}

void MainWindow::closeEvent(QCloseEvent* event) {
  m_cursorBar->setPlaying(false);
  m_settings.setWindow(saveGeometry(), saveState());
  m_controller->cancel();
  QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  QStringList paths;
  for (const QUrl& url : event->mimeData()->urls())
    if (url.isLocalFile()) paths.push_back(url.toLocalFile());
  if (paths.isEmpty()) return;
  event->acceptProposedAction();
  openFiles(paths);
}

}  // namespace maxstate::ui
