// Comparing checkpoints in the main window (issue 14): the controller, the Compare dock, the Checkpoints
// list's "Compare with the selected one", the alpha lines' clicks, File > Open folder and Esc.
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>

#include "ui/main_window.h"
#include "ui/session/compare_controller.h"
#include "ui/views/alphas_view.h"
#include "ui/views/checkpoint_list.h"
#include "ui/views/compare_panel.h"

namespace maxstate::ui {

void MainWindow::buildCompare() {
  m_compare = std::make_unique<CompareController>(m_session, *m_controller);
  connect(m_compare.get(), &CompareController::status, this,
          [this](const QString& message) { m_statusLabel->setText(message); });
  m_checkpoints->setCompareHandler([this](int a, int b) { m_compare->compare(a, b); });
  connect(m_alphas, &AlphasView::checkpointClicked, m_controller.get(),
          &ExplorerController::selectCheckpoint);

  m_comparePanel = new ComparePanel(m_session, *m_compare, this);
  auto* dock = new QDockWidget(tr("Compare checkpoints"), this);
  dock->setObjectName(QStringLiteral("compareDock"));
  dock->setWidget(m_comparePanel);
  addDockWidget(Qt::LeftDockWidgetArea, dock);
  m_viewMenu->addAction(dock->toggleViewAction());
  if (auto* checkpoints = findChild<QDockWidget*>(QStringLiteral("checkpointsDock")))
    tabifyDockWidget(checkpoints, dock);
  if (auto* checkpoints = findChild<QDockWidget*>(QStringLiteral("checkpointsDock"))) checkpoints->raise();
  // A comparison brings its table and the KL plot (named after what it shows) to the front.
  connect(&m_session, &Session::comparisonChanged, dock, [this, dock] {
    auto* kl = findChild<QDockWidget*>(QStringLiteral("klDock"));
    if (kl)
      kl->setWindowTitle(m_session.comparing() ? tr("Compare: KL(A || B) per position")
                                               : tr("What-if effect (KL per position)"));
    if (!m_session.comparing()) return;
    dock->raise();
    if (kl) kl->raise();
  });
}

void MainWindow::openFolder(const QString& folder) {
  m_settings.setLastFolder(QFileInfo(folder).absoluteFilePath());
  m_controller->openFolder(folder);
}

void MainWindow::openFolderDialog() {
  const QString folder = QFileDialog::getExistingDirectory(this, tr("Open every checkpoint in a folder"),
                                                           m_settings.lastFolder());
  if (!folder.isEmpty()) openFolder(folder);
}

void MainWindow::cancelOrStopComparing() {
  // Esc stops what runs; with nothing running it ends a comparison.
  if (work().busy())
    m_controller->cancel();
  else
    m_compare->stop();
}

}  // namespace maxstate::ui
