#pragma once
// The position cursor's controls: a slider over the trace, the position and its token, and Play/Pause that
// steps through positions at a chosen speed.
#include <QTimer>
#include <QWidget>

#include "ui/session/session.h"

class QLabel;
class QSlider;
class QSpinBox;
class QToolButton;

namespace maxstate::ui {

class CursorBar : public QWidget {
  Q_OBJECT
 public:
  explicit CursorBar(Session& session, QWidget* parent = nullptr);

  QSlider* slider() const { return m_slider; }
  bool playing() const { return m_timer.isActive(); }
  void setPlaying(bool on);
  void togglePlaying() { setPlaying(!playing()); }
  int speed() const;  // positions per second
  void setSpeed(int positionsPerSecond);

 signals:
  void playingChanged(bool playing);
  void speedChanged(int positionsPerSecond);

 private:
  void onTrace();
  void onCursor(qint64 position);
  void step();

  Session& m_session;
  QSlider* m_slider;
  QLabel* m_label;
  QToolButton* m_play;
  QSpinBox* m_speed;
  QTimer m_timer;
};

}  // namespace maxstate::ui
