#include "ui/views/empty_page.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "ui/session/session.h"
#include "ui/views/placeholder.h"

namespace maxstate::ui {

EmptyPage::EmptyPage(const Session& session, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_message(new QLabel(this)),
      m_open(new QPushButton(tr("Open a checkpoint..."), this)),
      m_demo(new QPushButton(tr("Open the demo"), this)) {
  setObjectName("emptyPage");
  m_message->setObjectName("emptyMessage");
  m_demo->setObjectName("openDemoButton");
  m_message->setAlignment(Qt::AlignCenter);
  m_message->setWordWrap(true);
  QFont big = m_message->font();
  big.setPointSizeF(big.pointSizeF() * 1.3);
  m_message->setFont(big);
  auto* buttons = new QHBoxLayout;
  buttons->addStretch(1);
  buttons->addWidget(m_open);
  buttons->addWidget(m_demo);
  buttons->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->addStretch(1);
  layout->addWidget(m_message);
  layout->addSpacing(12);
  layout->addLayout(buttons);
  layout->addStretch(2);
  connect(m_open, &QPushButton::clicked, this, &EmptyPage::openRequested);
  connect(m_demo, &QPushButton::clicked, this, &EmptyPage::demoRequested);
  connect(&m_session, &Session::checkpointsChanged, this, &EmptyPage::refresh);
  connect(&m_session, &Session::traceChanged, this, &EmptyPage::refresh);
  refresh();
}

void EmptyPage::setDemoAvailable(bool available) { m_demo->setVisible(available); }

void EmptyPage::refresh() { m_message->setText(placeholderText(m_session)); }

}  // namespace maxstate::ui
