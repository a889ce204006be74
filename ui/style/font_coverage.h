#pragma once
// Which characters of a vocabulary no installed font can draw. Without a CJK font Qt draws every Chinese
// label as an empty box; the explorer says so once and names the package that fixes it.
#include <QList>
#include <QString>
#include <QStringList>

namespace maxstate::ui {

struct FontCoverage {
  int checked = 0;                // distinct visible characters looked at
  QList<char32_t> missing;        // those no installed font has a glyph for, in code point order
  int missingHan = 0;             // how many of them are Han (Chinese, Japanese, Korean) characters
  bool cjkFontInstalled = false;  // some family declares a CJK writing system (it then lacks only rare ones)
};

// Looks at every character of `labels` (control and whitespace characters excluded) in the application font
// and then in every installed family, CJK characters only in families that declare a CJK writing system.
FontCoverage fontCoverage(const QStringList& labels);

// The one message for the user, or "" when everything can be drawn: how many characters show as boxes, a few
// examples, and the Debian package to install (a CJK font; the complete one when a smaller one is there).
QString fontCoverageMessage(const FontCoverage& coverage);

}  // namespace maxstate::ui
