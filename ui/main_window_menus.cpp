// The menus and keyboard shortcuts of the main window.
#include <QActionGroup>
#include <QApplication>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QStringDecoder>

#include "maxstate/version.h"
#include "ui/export_controller.h"
#include "ui/main_window.h"
#include "ui/session/compare_controller.h"
#include "ui/style/theme.h"
#include "ui/views/cursor_bar.h"
#include "ui/views/empty_page.h"
#include "ui/views/predictions_view.h"
#include "ui/views/state_heatmap_view.h"
#include "ui/views/themed_plot.h"

namespace maxstate::ui {

namespace {
constexpr int kBigStep = 16;  // Shift+Left/Right
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Open..."), QKeySequence::Open, this, &MainWindow::openDialog);
  file->addAction(tr("Open &folder..."), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_O), this,
                  &MainWindow::openFolderDialog);
  file->addAction(tr("Open &text..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this,
                  &MainWindow::openTextDialog);
  m_demoMenu = file->addMenu(tr("Open &demo"));
  refreshDemoMenu();
  m_recentMenu = file->addMenu(tr("Open &recent"));
  refreshRecentMenu();
  file->addSeparator();
  file->addAction(tr("&Reload changed checkpoints"), QKeySequence(Qt::CTRL | Qt::Key_R), m_controller.get(),
                  &ExplorerController::reloadChanged);
  file->addAction(tr("&Close checkpoint"), QKeySequence::Close, this,
                  [this] { m_controller->close(m_session.currentCheckpoint()); });
  file->addSeparator();
  buildExport(file);
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

  buildEditMenu();

  QMenu* trace = menuBar()->addMenu(tr("&Trace"));
  trace->addAction(tr("&Trace the input again"), QKeySequence(Qt::Key_F5), m_controller.get(),
                   &ExplorerController::retrace);
  trace->addAction(tr("&Cancel"), QKeySequence(Qt::Key_Escape), this, &MainWindow::cancelOrStopComparing);
  QAction* stopComparing = trace->addAction(tr("&Stop comparing"), this, [this] { m_compare->stop(); });
  stopComparing->setObjectName(QStringLiteral("stopComparing"));

  QMenu* navigate = menuBar()->addMenu(tr("&Navigate"));
  buildNavigation(navigate);

  menuBar()->addMenu(m_viewMenu);
  m_viewMenu->addSeparator();
  QMenu* theme = m_viewMenu->addMenu(tr("&Theme"));
  auto* group = new QActionGroup(this);
  for (const QString& name : {QStringLiteral("light"), QStringLiteral("dark")}) {
    QAction* a = theme->addAction(name == QLatin1String("light") ? tr("&Light") : tr("&Dark"));
    a->setCheckable(true);
    a->setChecked(m_settings.theme() == name);
    group->addAction(a);
    connect(a, &QAction::triggered, this, [this, name] { setTheme(name); });
  }
  m_viewMenu->addAction(tr("&Reset layout"), this, [this] { restoreState(m_defaultState); });

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&Keyboard shortcuts"), this, [this] {
    QMessageBox::information(
        this, tr("Keyboard shortcuts"),
        tr("Left / Right: previous / next position\nShift+Left / Shift+Right: %1 "
           "positions\nHome / End: first / last "
           "position\nSpace: play / pause\nUp / Down: previous / next head\nCtrl+Up / "
           "Ctrl+Down: previous / next "
           "layer\nCtrl+O: open a checkpoint\nCtrl+R: reload changed checkpoints\nF5: "
           "trace again\nCtrl+E: export the heatmap (right-click any plot to export it)\nEsc: cancel (or "
           "stop comparing)\nCtrl+Alt+O: open a folder of checkpoints\n"
           "Ctrl+Return (in the input): trace the input")
            .arg(kBigStep));
  });
  help->addAction(tr("&About"), this, [this] {
    QMessageBox::about(
        this, tr("About MaxState Explorer"),
        tr("MaxState Explorer %1\n\nLooks inside sequence models built on the MaxStateSuper layer: "
           "what the running-maximum state holds, which token set each value, which terms carry the "
           "output, and how the alphas moved during training.")
            .arg(QString::fromStdString(maxstate::version())));
  });
}

void MainWindow::buildNavigation(QMenu* menu) {
  auto add = [this, menu](const QString& text, const QKeySequence& key, auto&& slot) {
    QAction* a = menu->addAction(text);
    a->setShortcut(key);
    a->setShortcutContext(Qt::WindowShortcut);
    connect(a, &QAction::triggered, this, slot);
    addAction(a);  // keeps the shortcut working when the menu bar is hidden
  };
  add(tr("Next position"), QKeySequence(Qt::Key_Right), [this] { m_session.moveCursor(1); });
  add(tr("Previous position"), QKeySequence(Qt::Key_Left), [this] { m_session.moveCursor(-1); });
  add(tr("Forward %1 positions").arg(kBigStep), QKeySequence(Qt::SHIFT | Qt::Key_Right),
      [this] { m_session.moveCursor(kBigStep); });
  add(tr("Back %1 positions").arg(kBigStep), QKeySequence(Qt::SHIFT | Qt::Key_Left),
      [this] { m_session.moveCursor(-kBigStep); });
  add(tr("First position"), QKeySequence(Qt::Key_Home), [this] { m_session.setCursor(0); });
  add(tr("Last position"), QKeySequence(Qt::Key_End),
      [this] { m_session.setCursor(m_session.length() - 1); });
  menu->addSeparator();
  add(tr("Play / pause"), QKeySequence(Qt::Key_Space), [this] { m_cursorBar->togglePlaying(); });
  menu->addSeparator();
  add(tr("Next head"), QKeySequence(Qt::Key_Down), [this] { m_session.setHead(m_session.head() + 1); });
  add(tr("Previous head"), QKeySequence(Qt::Key_Up), [this] { m_session.setHead(m_session.head() - 1); });
  add(tr("Next layer"), QKeySequence(Qt::CTRL | Qt::Key_Down),
      [this] { m_controller->selectLayer(m_controller->targetLayer() + 1); });
  add(tr("Previous layer"), QKeySequence(Qt::CTRL | Qt::Key_Up),
      [this] { m_controller->selectLayer(m_controller->targetLayer() - 1); });
}

void MainWindow::buildExport(QMenu* file) {
  m_exporter = new ExportController(m_session, work(), *m_heatmap, this);
  connect(m_exporter, &ExportController::errorOccurred, this, &MainWindow::showError);
  connect(m_exporter, &ExportController::status, this,
          [this](const QString& m) { m_statusLabel->setText(m); });
  file->addAction(tr("&Export the heatmap..."), QKeySequence(Qt::CTRL | Qt::Key_E), m_exporter,
                  &ExportController::exportHeatmapDialog);
  // Every plot: from this menu or from its own context menu (right-click).
  QMenu* plots = file->addMenu(tr("Export a &plot"));
  for (ThemedPlot* plot : findChildren<ThemedPlot*>()) {
    if (plot == m_heatmap->plot()) {
      connect(plot, &ThemedPlot::exportRequested, m_exporter, &ExportController::exportHeatmapDialog);
      continue;
    }
    connect(plot, &ThemedPlot::exportRequested, m_exporter,
            [this, plot] { m_exporter->exportPlotDialog(plot); });
    plots->addAction(plot->exportName() + QStringLiteral("..."), m_exporter,
                     [this, plot] { m_exporter->exportPlotDialog(plot); });
  }
  plots->addAction(tr("logit lens..."), m_exporter, [this] { m_exporter->exportLensDialog(m_predictions); });
  connect(m_predictions, &PredictionsView::lensExportRequested, m_exporter,
          [this] { m_exporter->exportLensDialog(m_predictions); });
}

void MainWindow::refreshRecentMenu() {
  m_recentMenu->clear();
  const QStringList files = m_settings.recentFiles();
  for (const QString& path : files)
    m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] { openFiles({path}); })
        ->setToolTip(path);
  m_recentMenu->setToolTipsVisible(true);
  m_recentMenu->setEnabled(!files.isEmpty());
  if (!files.isEmpty()) {
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("Clear the list"), this, [this] {
      for (const QString& p : m_settings.recentFiles()) m_settings.removeRecentFile(p);
      refreshRecentMenu();
    });
  }
}

void MainWindow::setDemos(QList<DemoSetup> demos) {
  m_demos = std::move(demos);
  refreshDemoMenu();
  m_empty->setDemoAvailable(!m_demos.isEmpty() && QFileInfo::exists(m_demos.front().modelPath));
}

void MainWindow::refreshDemoMenu() {
  if (!m_demoMenu) return;
  m_demoMenu->clear();
  for (int i = 0; i < m_demos.size(); ++i) {
    const QString title = m_demos[i].title.isEmpty() ? tr("Demo model") : m_demos[i].title;
    m_demoMenu->addAction(title, this, [this, i] { openDemo(i); })->setToolTip(m_demos[i].modelPath);
  }
  m_demoMenu->setToolTipsVisible(true);
  m_demoMenu->setEnabled(!m_demos.isEmpty());
}

void MainWindow::showFontWarning(const QString& message) {
  // Non-modal: the explorer keeps working (the labels just show boxes); the controller says it once a
  // session.
  m_statusLabel->setText(message);
  auto* box = new QMessageBox(QMessageBox::Information, tr("Characters without a font"), message,
                              QMessageBox::Ok, this);
  box->setObjectName(QStringLiteral("fontWarning"));
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setModal(false);
  box->show();
}

void MainWindow::openDialog() {
  const QStringList paths = QFileDialog::getOpenFileNames(
      this, tr("Open checkpoints"), m_settings.lastFolder(),
      tr("Checkpoints (*.pth *.pt *.bin *.ckpt *.safetensors *.zip);;All files (*)"));
  openFiles(paths);
}

void MainWindow::setTheme(const QString& name) {
  m_settings.setTheme(name);
  applyTheme(themeFromName(name));
}

}  // namespace maxstate::ui

namespace maxstate::ui {

void MainWindow::openTextDialog() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open a text to trace"), m_settings.lastFolder(),
                                                    tr("Text (*.txt *.md);;All files (*)"));
  if (!path.isEmpty()) openTextFile(path);
}

bool MainWindow::openTextFile(const QString& path) {
  // Far above a long-context trace's text, far below what the editor could not hold.
  constexpr qint64 kMaxBytes = qint64{64} << 20;
  QFile file(path);
  QString why;
  QByteArray bytes;
  if (!file.open(QIODevice::ReadOnly))
    why = file.errorString();
  else if (file.size() > kMaxBytes)
    why = tr("it is larger than %1 MB").arg(kMaxBytes >> 20);
  else
    bytes = file.readAll();
  QStringDecoder utf8(QStringDecoder::Utf8,
                      QStringDecoder::Flag::Stateless);  // a cut-off last character is an error too
  const QString text = why.isEmpty() ? QString(utf8(bytes)) : QString();
  if (why.isEmpty() && utf8.hasError()) why = tr("it is not UTF-8 text");
  if (!why.isEmpty()) {
    showError(tr("Open text"), tr("Cannot use %1 as input: %2.").arg(path, why));
    return false;
  }
  SessionInput input = m_session.input();
  if (input.kind != InputKind::Text)
    input = SessionInput{InputKind::Text, std::nullopt, {}, input.randomLength};
  input.text = text;
  m_session.setInput(input);
  m_controller->traceInput(input);
  return true;
}

}  // namespace maxstate::ui
