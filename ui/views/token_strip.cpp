#include "ui/views/token_strip.h"

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <algorithm>

#include "ui/data/view_data.h"
#include "ui/style/theme.h"
#include "ui/views/token_text.h"

namespace maxstate::ui {

namespace {
constexpr int kPad = 4;     // inside a box, left and right
constexpr int kGap = 2;     // between boxes
constexpr int kMargin = 3;  // above and below
}  // namespace

TokenStripCanvas::TokenStripCanvas(Session& session, QWidget* parent) : QWidget(parent), m_session(session) {
  setMouseTracking(true);
  connect(&m_session, &Session::traceChanged, this, [this] {
    relayout();
    updateShades();
  });
  connect(&m_session, &Session::layerChanged, this, &TokenStripCanvas::updateShades);
  connect(&m_session, &Session::headChanged, this, &TokenStripCanvas::updateShades);
  connect(&m_session, &Session::cursorChanged, this, &TokenStripCanvas::updateShades);
  relayout();
}

QSize TokenStripCanvas::sizeHint() const {
  return {m_left.empty() ? 100 : m_left.back(), fontMetrics().height() + 2 * kPad + 2 * kMargin};
}

void TokenStripCanvas::relayout() {
  const QFontMetrics fm = fontMetrics();
  const int64_t n = m_session.length();
  m_text.clear();
  m_left.assign(static_cast<size_t>(n) + 1, 0);
  int x = kGap;
  for (int64_t p = 0; p < n; ++p) {
    m_text.push_back(visibleToken(m_session.label(p), 16));
    m_left[static_cast<size_t>(p)] = x;
    x += std::max(fm.horizontalAdvance(m_text.back()) + 2 * kPad, 14) + kGap;
  }
  m_left.back() = x;
  setFixedSize(sizeHint().expandedTo(QSize(x, 0)));
  update();
}

void TokenStripCanvas::updateShades() {
  const auto& record = m_session.record();
  const int64_t p = m_session.cursor();
  m_shades.clear();
  m_maxShade = 0;
  if (record && record->hasPosition(p)) {
    m_shades = sourceShares(*record, p, m_session.head());
    for (double s : m_shades) m_maxShade = std::max(m_maxShade, s);
  }
  update();
  emit cursorRectChanged(tokenRect(p));
}

double TokenStripCanvas::shade(int64_t position) const {
  return position >= 0 && position < static_cast<int64_t>(m_shades.size())
             ? m_shades[static_cast<size_t>(position)]
             : 0.0;
}

QRect TokenStripCanvas::tokenRect(int64_t position) const {
  if (position < 0 || position + 1 >= static_cast<int64_t>(m_left.size())) return {};
  const int x = m_left[static_cast<size_t>(position)];
  const int w = m_left[static_cast<size_t>(position) + 1] - x - kGap;
  return {x, kMargin, w, height() - 2 * kMargin};
}

int64_t TokenStripCanvas::tokenAt(const QPoint& point) const {
  if (m_left.size() < 2) return -1;
  // Boxes are sorted by x: binary search for the last box starting at or before the point.
  const auto it = std::upper_bound(m_left.begin(), m_left.end() - 1, point.x());
  if (it == m_left.begin()) return -1;
  const int64_t p = (it - m_left.begin()) - 1;
  return tokenRect(p).contains(point) ? p : -1;
}

void TokenStripCanvas::paintEvent(QPaintEvent* event) {
  QPainter painter(this);
  const QPalette& pal = palette();
  painter.fillRect(event->rect(), pal.color(QPalette::Base));
  if (m_left.size() < 2) {
    painter.setPen(pal.color(QPalette::PlaceholderText));
    painter.drawText(rect().adjusted(kPad, 0, 0, 0), Qt::AlignVCenter,
                     tr("no tokens: open a checkpoint and trace an input"));
    return;
  }
  const QColor held = isDark(pal) ? QColor(0xff, 0xa0, 0x30) : QColor(0xff, 0x80, 0x00);
  const QColor box = pal.color(QPalette::AlternateBase);
  const QColor text = pal.color(QPalette::Text);
  const QColor cursor = cursorColor(pal);
  const int64_t first = std::max<int64_t>(0, tokenAt(QPoint(event->rect().left(), kMargin + 1)) - 1);
  const int64_t n = static_cast<int64_t>(m_left.size()) - 1;
  const int64_t current = m_session.cursor();
  for (int64_t p = first < 0 ? 0 : first; p < n; ++p) {
    const QRect r = tokenRect(p);
    if (r.left() > event->rect().right()) break;
    if (r.right() < event->rect().left()) continue;
    QColor fill = box;
    if (m_maxShade > 0 && shade(p) > 0) {
      // Opacity relative to the largest share, so that a head spread over many tokens still shows.
      fill = held;
      fill.setAlphaF(static_cast<float>(0.15 + 0.85 * shade(p) / m_maxShade));
    }
    painter.fillRect(r, fill);
    if (p == current) {
      painter.setPen(QPen(cursor, 2));
      painter.drawRect(r.adjusted(1, 1, -1, -1));
    }
    painter.setPen(p > current ? pal.color(QPalette::Disabled, QPalette::Text) : text);
    painter.drawText(r, Qt::AlignCenter, m_text[static_cast<qsizetype>(p)]);
    if (const auto& w = m_session.whatIf(); w && m_session.trace() == w->edited) {
      if (top1Changed(p))
        painter.fillRect(QRect(r.left(), r.bottom() - 2, r.width(), 3), QColor(0xd0, 0x20, 0x20));
      if (p < static_cast<int64_t>(w->baseOf.size()) && !w->baseOf[static_cast<size_t>(p)]) {
        painter.setPen(QPen(text, 1, Qt::DashLine));
        painter.drawRect(r.adjusted(0, 0, -1, -1));
      }
    }
  }
}

bool TokenStripCanvas::top1Changed(int64_t position) const {
  const auto& w = m_session.whatIf();
  if (!w || m_session.trace() != w->edited || position < 0 ||
      position >= static_cast<int64_t>(w->top1Base.size()))
    return false;
  const auto& base = w->top1Base[static_cast<size_t>(position)];
  return base && *base != w->top1Edited[static_cast<size_t>(position)];
}

void TokenStripCanvas::contextMenuEvent(QContextMenuEvent* event) {
  const int64_t p = tokenAt(event->pos());
  if (p < 0 || !m_menuProvider) return;
  m_session.setCursor(p);  // the edit is about this token: the views show it
  QMenu menu(this);
  m_menuProvider(menu, p);
  if (!menu.isEmpty()) menu.exec(event->globalPos());
}

void TokenStripCanvas::mousePressEvent(QMouseEvent* event) {
  const int64_t p = tokenAt(event->position().toPoint());
  if (event->button() == Qt::LeftButton && p >= 0) m_session.setCursor(p);
  QWidget::mousePressEvent(event);
}

bool TokenStripCanvas::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const int64_t p = tokenAt(help->pos());
    if (p < 0) {
      QToolTip::hideText();
    } else {
      QString tip = tr("position %1 %2\nholds %3% of head %4's state at the cursor")
                        .arg(p)
                        .arg(quotedToken(m_session.label(p)))
                        .arg(shade(p) * 100.0, 0, 'f', 1)
                        .arg(m_session.head());
      if (top1Changed(p)) tip += tr("\nthe edits change the top-1 prediction here");
      QToolTip::showText(help->globalPos(), tip, this);
    }
    return true;
  }
  return QWidget::event(event);
}

TokenStrip::TokenStrip(Session& session, QWidget* parent)
    : QScrollArea(parent), m_canvas(new TokenStripCanvas(session, this)) {
  setWidget(m_canvas);
  setWidgetResizable(false);
  setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
  setFrameShape(QFrame::StyledPanel);
  setFixedHeight(m_canvas->sizeHint().height() + horizontalScrollBar()->sizeHint().height() +
                 2 * frameWidth());
  connect(m_canvas, &TokenStripCanvas::cursorRectChanged, this, [this](const QRect& r) {
    if (r.isValid()) ensureVisible(r.center().x(), r.center().y(), r.width() + 40, 0);
  });
}

}  // namespace maxstate::ui
