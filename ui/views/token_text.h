#pragma once
// How a token's label is written on screen: whitespace and control characters made visible, long labels cut.
#include <QString>

namespace maxstate::ui {

QString visibleToken(const QString& label, int maxChars = 24);
// «label» for use inside sentences and tooltips.
QString quotedToken(const QString& label);

}  // namespace maxstate::ui
