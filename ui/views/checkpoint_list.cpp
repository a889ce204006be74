#include "ui/views/checkpoint_list.h"

#include <QFileInfo>
#include <QMenu>
#include <QSignalBlocker>

namespace maxstate::ui {

QString describeModel(const ModelInfo& info) {
  QString s =
      QStringLiteral("%1 %2, %3 layer%4 x %5 heads, d=%6")
          .arg(QString::fromLatin1(variantName(info.variant)), QString::fromLatin1(kindName(info.kind)))
          .arg(info.layers)
          .arg(info.layers == 1 ? QString() : QStringLiteral("s"))
          .arg(info.heads)
          .arg(info.hidden);
  if (info.vocabSize) s += QStringLiteral(", V=%1").arg(*info.vocabSize);
  s += QStringLiteral(", %1, %2")
           .arg(QString::fromLatin1(storageTypeName(info.dtype)),
                QString::fromLatin1(formatName(info.format)));
  return s;
}

QString describeTrainingProgress(const TrainingProgress& progress) {
  QStringList parts;
  if (progress.epoch) parts << QObject::tr("epoch %1").arg(*progress.epoch);
  if (progress.step) parts << QObject::tr("step %1").arg(*progress.step);
  return parts.join(QStringLiteral(", "));
}

CheckpointList::CheckpointList(Session& session, ExplorerController& controller, QWidget* parent)
    : QListWidget(parent), m_session(session), m_controller(controller) {
  setContextMenuPolicy(Qt::CustomContextMenu);
  setWordWrap(true);
  setTextElideMode(Qt::ElideMiddle);
  setToolTip(
      tr("Open checkpoints: click one to trace and show it; right-click to compare it with the "
         "selected one, reload or close it"));
  connect(this, &QListWidget::currentRowChanged, this, [this](int row) {
    if (row >= 0) m_controller.selectCheckpoint(row);
  });
  connect(this, &QWidget::customContextMenuRequested, this, &CheckpointList::showMenu);
  connect(&m_session, &Session::checkpointsChanged, this, &CheckpointList::refill);
  connect(&m_session, &Session::currentCheckpointChanged, this, &CheckpointList::refill);
  connect(&m_session, &Session::comparisonChanged, this, &CheckpointList::refill);
  refill();
}

void CheckpointList::refill() {
  const QSignalBlocker block(this);
  clear();
  for (int i = 0; i < m_session.checkpointCount(); ++i) {
    const OpenCheckpoint& c = m_session.checkpoint(i);
    QString text = QFileInfo(c.path).fileName();
    const QString progress = describeTrainingProgress(c.progress);
    if (!progress.isEmpty()) text += QStringLiteral("  ·  ") + progress;
    if (const auto& cmp = m_session.comparison()) {
      if (c.path == cmp->pathA) text += tr("  [A, reference]");
      if (c.path == cmp->pathB) text += tr("  [B]");
    }
    if (c.changedOnDisk) text += tr("  (changed on disk)");
    text += QStringLiteral("\n") + describeModel(c.model->info());
    auto* item = new QListWidgetItem(text, this);
    item->setToolTip(c.path);
    QFont f = item->font();
    f.setBold(i == m_session.currentCheckpoint());
    item->setFont(f);
  }
  setCurrentRow(m_session.currentCheckpoint());
}

void CheckpointList::showMenu(const QPoint& at) {
  const int row = indexAt(at).row();
  if (row < 0) return;
  QMenu menu(this);
  fillMenu(menu, row);
  menu.exec(mapToGlobal(at));
}

void CheckpointList::fillMenu(QMenu& menu, int row) {
  const int selected = m_session.currentCheckpoint();
  QAction* compare = menu.addAction(selected >= 0 && selected != row
                                        ? tr("Compare with the selected one (A = %1, B = %2)")
                                              .arg(QFileInfo(m_session.checkpoint(selected).path).fileName(),
                                                   QFileInfo(m_session.checkpoint(row).path).fileName())
                                        : tr("Compare with the selected one"),
                                    this, [this, selected, row] {
                                      if (m_compare) m_compare(selected, row);
                                    });
  compare->setObjectName(QStringLiteral("compareWithSelected"));
  compare->setEnabled(m_compare != nullptr && selected >= 0 && selected != row);
  if (!compare->isEnabled())
    compare->setToolTip(tr("Click another checkpoint first: it becomes A, the reference"));
  menu.addSeparator();
  menu.addAction(tr("Show"), this, [this, row] { m_controller.selectCheckpoint(row); });
  menu.addAction(tr("Reload from disk"), this, [this, row] { m_controller.reload(row); });
  menu.addAction(tr("Close"), this, [this, row] { m_controller.close(row); });
}

}  // namespace maxstate::ui
