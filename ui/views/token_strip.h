#pragma once
// The tokens of the input in a row: click one to move the cursor there. Each token is shaded by the share of
// the selected head's state channels it holds at the cursor (the sources view's row for that head).
#include <QMenu>
#include <QScrollArea>
#include <QWidget>
#include <functional>
#include <vector>

#include "ui/session/session.h"

namespace maxstate::ui {

class TokenStripCanvas : public QWidget {
  Q_OBJECT
 public:
  explicit TokenStripCanvas(Session& session, QWidget* parent = nullptr);

  QRect tokenRect(int64_t position) const;
  int64_t tokenAt(const QPoint& point) const;  // -1 outside any token
  // The share the shading shows for a token (0 for tokens after the cursor).
  double shade(int64_t position) const;
  QSize sizeHint() const override;
  const QStringList& texts() const { return m_text; }  // what each box shows
  // Right-click on a token: `provider` fills the menu for that position (what-if edits).
  using MenuProvider = std::function<void(QMenu& menu, int64_t position)>;
  void setMenuProvider(MenuProvider provider) { m_menuProvider = std::move(provider); }
  // While a what-if is on: the positions whose top-1 prediction changed (marked under the token) and those
  // without a base counterpart (inserted, drawn with a dashed frame).
  bool top1Changed(int64_t position) const;

 signals:
  void cursorRectChanged(const QRect& rect);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;
  bool event(QEvent* event) override;

 private:
  void relayout();
  void updateShades();

  Session& m_session;
  std::vector<int> m_left;  // x of each token's box; one extra entry for the right end
  QStringList m_text;       // what each box shows
  std::vector<double> m_shades;
  double m_maxShade = 0;
  MenuProvider m_menuProvider;
};

class TokenStrip : public QScrollArea {
  Q_OBJECT
 public:
  explicit TokenStrip(Session& session, QWidget* parent = nullptr);
  TokenStripCanvas* canvas() const { return m_canvas; }

 private:
  TokenStripCanvas* m_canvas;
};

}  // namespace maxstate::ui
