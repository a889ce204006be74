#include "ui/views/selection_bar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>

namespace maxstate::ui {

SelectionBar::SelectionBar(Session& session, ExplorerController& controller, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_controller(controller),
      m_layer(new QComboBox(this)),
      m_head(new QComboBox(this)) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(4, 0, 4, 0);
  layout->addWidget(new QLabel(tr("Layer"), this));
  layout->addWidget(m_layer);
  layout->addSpacing(8);
  layout->addWidget(new QLabel(tr("Head"), this));
  layout->addWidget(m_head);
  m_layer->setToolTip(tr("Layer to show (Ctrl+Up / Ctrl+Down)"));
  m_head->setToolTip(tr("Head to show (Up / Down)"));
  m_layer->setMinimumContentsLength(3);
  m_head->setMinimumContentsLength(3);
  connect(m_layer, &QComboBox::currentIndexChanged, this, [this](int i) {
    if (i >= 0) m_controller.selectLayer(i);
  });
  connect(m_head, &QComboBox::currentIndexChanged, this, [this](int i) {
    if (i >= 0) m_session.setHead(i);
  });
  connect(&m_session, &Session::traceChanged, this, &SelectionBar::refill);
  connect(&m_session, &Session::layerChanged, this, [this](int l) {
    const QSignalBlocker block(m_layer);
    m_layer->setCurrentIndex(l);
  });
  connect(&m_session, &Session::headChanged, this, [this](int h) {
    const QSignalBlocker block(m_head);
    m_head->setCurrentIndex(h);
  });
  refill();
}

void SelectionBar::refill() {
  const QSignalBlocker blockLayer(m_layer);
  const QSignalBlocker blockHead(m_head);
  m_layer->clear();
  m_head->clear();
  for (int l = 0; l < m_session.layerCount(); ++l) m_layer->addItem(QString::number(l));
  for (int h = 0; h < m_session.headCount(); ++h) m_head->addItem(QString::number(h));
  m_layer->setCurrentIndex(m_session.layer());
  m_head->setCurrentIndex(m_session.head());
}

}  // namespace maxstate::ui
