#include "ui/views/placeholder.h"

#include <QCoreApplication>

#include "ui/session/session.h"
#include "ui/views/themed_plot.h"

namespace maxstate::ui {

QString placeholderText(const Session& session) {
  if (session.checkpointCount() > 0)
    return QCoreApplication::translate("Placeholder",
                                       "Nothing traced yet: type a text in the Input panel and press Trace.");
  return QCoreApplication::translate("Placeholder",
                                     "Open a checkpoint (Ctrl+O), drop one here, or open the demo.");
}

void followPlaceholder(ThemedPlot* plot, const Session& session, std::function<bool()> empty) {
  if (!empty) empty = [&session] { return !session.trace(); };
  auto refresh = [plot, &session, empty] {
    plot->setPlaceholder(empty() ? placeholderText(session) : QString());
  };
  QObject::connect(&session, &Session::traceChanged, plot, refresh);
  QObject::connect(&session, &Session::checkpointsChanged, plot, refresh);
  refresh();
}

}  // namespace maxstate::ui
