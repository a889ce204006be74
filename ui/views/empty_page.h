#pragma once
// The centre of the window while nothing is traced: what to do next, with buttons for it (open a checkpoint,
// open the bundled demo) instead of an empty heatmap.
#include <QWidget>

class QLabel;
class QPushButton;

namespace maxstate::ui {

class Session;

class EmptyPage : public QWidget {
  Q_OBJECT
 public:
  explicit EmptyPage(const Session& session, QWidget* parent = nullptr);

  // The demo button shows only when there is a demo to open.
  void setDemoAvailable(bool available);
  QLabel* message() const { return m_message; }
  QPushButton* demoButton() const { return m_demo; }
  QPushButton* openButton() const { return m_open; }

 signals:
  void openRequested();
  void demoRequested();

 private:
  void refresh();

  const Session& m_session;
  QLabel* m_message;
  QPushButton* m_open;
  QPushButton* m_demo;
};

}  // namespace maxstate::ui
