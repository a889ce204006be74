#pragma once
// What the views say while nothing is traced, instead of empty axes: the one next step that makes them show
// something.
#include <QString>
#include <functional>

namespace maxstate::ui {

class Session;
class ThemedPlot;

QString placeholderText(const Session& session);

// Shows placeholderText on `plot` (instead of the plot) while `empty()` holds -- by default while the session
// has no trace -- and keeps the text current as checkpoints open and close.
void followPlaceholder(ThemedPlot* plot, const Session& session, std::function<bool()> empty = {});

}  // namespace maxstate::ui
