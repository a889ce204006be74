#include "ui/views/cursor_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>

#include "ui/views/token_text.h"

namespace maxstate::ui {

CursorBar::CursorBar(Session& session, QWidget* parent)
    : QWidget(parent),
      m_session(session),
      m_slider(new QSlider(Qt::Horizontal, this)),
      m_label(new QLabel(this)),
      m_play(new QToolButton(this)),
      m_speed(new QSpinBox(this)) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(4, 0, 4, 0);
  m_play->setCheckable(true);
  m_play->setToolTip(tr("Play / pause: step through the positions (Space)"));
  m_play->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  m_speed->setRange(1, 500);
  m_speed->setValue(8);
  m_speed->setSuffix(tr(" pos/s"));
  m_speed->setToolTip(tr("Playback speed in positions per second"));
  m_slider->setToolTip(tr("Position cursor (Left/Right, Shift for steps of 16, Home/End)"));
  m_slider->setPageStep(16);
  m_label->setMinimumWidth(220);
  m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(m_play);
  layout->addWidget(m_speed);
  layout->addWidget(m_slider, 1);
  layout->addWidget(m_label);

  connect(m_play, &QToolButton::toggled, this, &CursorBar::setPlaying);
  connect(m_speed, &QSpinBox::valueChanged, this, [this](int v) {
    m_timer.setInterval(1000 / v);
    emit speedChanged(v);
  });
  connect(m_slider, &QSlider::valueChanged, this, [this](int v) { m_session.setCursor(v); });
  connect(&m_timer, &QTimer::timeout, this, &CursorBar::step);
  m_timer.setInterval(1000 / m_speed->value());
  connect(&m_session, &Session::traceChanged, this, &CursorBar::onTrace);
  connect(&m_session, &Session::cursorChanged, this, &CursorBar::onCursor);
  onTrace();
}

int CursorBar::speed() const { return m_speed->value(); }
void CursorBar::setSpeed(int positionsPerSecond) { m_speed->setValue(positionsPerSecond); }

void CursorBar::setPlaying(bool on) {
  if (on == playing()) return;
  if (on) {
    // Playing from the end starts again from the beginning.
    if (m_session.cursor() >= m_session.length() - 1) m_session.setCursor(0);
    m_timer.start();
  } else {
    m_timer.stop();
  }
  const QSignalBlocker block(m_play);
  m_play->setChecked(on);
  m_play->setIcon(style()->standardIcon(on ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
  emit playingChanged(on);
}

void CursorBar::step() {
  if (m_session.cursor() >= m_session.length() - 1) {
    setPlaying(false);
    return;
  }
  m_session.moveCursor(1);
}

void CursorBar::onTrace() {
  const QSignalBlocker block(m_slider);
  m_slider->setRange(0, static_cast<int>(std::max<int64_t>(m_session.length() - 1, 0)));
  m_slider->setEnabled(m_session.length() > 0);
  onCursor(m_session.cursor());
}

void CursorBar::onCursor(qint64 position) {
  {
    const QSignalBlocker block(m_slider);
    m_slider->setValue(static_cast<int>(position));
  }
  if (m_session.length() == 0) {
    m_label->setText(tr("no trace"));
    return;
  }
  m_label->setText(tr("position %1 / %2  %3")
                       .arg(position)
                       .arg(m_session.length() - 1)
                       .arg(quotedToken(m_session.label(position))));
}

}  // namespace maxstate::ui
