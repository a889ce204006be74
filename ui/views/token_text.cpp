#include "ui/views/token_text.h"

namespace maxstate::ui {

QString visibleToken(const QString& label, int maxChars) {
  if (label.isEmpty()) return QStringLiteral("\u2205");  // empty set sign
  QString out;
  out.reserve(label.size());
  for (QChar c : label) {
    if (c == QLatin1Char('\n'))
      out += QChar(0x21B5);  // downwards arrow with corner leftwards
    else if (c == QLatin1Char('\t'))
      out += QChar(0x21E5);  // rightwards arrow to bar
    else if (c == QLatin1Char(' '))
      out += QChar(0x00B7);  // middle dot
    else if (c.category() == QChar::Other_Control)
      out += QChar(0xFFFD);
    else
      out += c;
  }
  if (out.size() > maxChars) out = out.left(maxChars - 1) + QChar(0x2026);
  return out;
}

QString quotedToken(const QString& label) { return QChar(0x00AB) + visibleToken(label, 40) + QChar(0x00BB); }

}  // namespace maxstate::ui
