#include "ui/style/font_coverage.h"

#include <QApplication>
#include <QFontDatabase>
#include <QRawFont>
#include <QSet>
#include <algorithm>
#include <vector>

namespace maxstate::ui {

namespace {

bool isHan(char32_t c) { return QChar::script(c) == QChar::Script_Han; }

bool declaresCjk(const QString& family) {
  const QList<QFontDatabase::WritingSystem> systems = QFontDatabase::writingSystems(family);
  for (QFontDatabase::WritingSystem w : {QFontDatabase::SimplifiedChinese, QFontDatabase::TraditionalChinese,
                                         QFontDatabase::Japanese, QFontDatabase::Korean})
    if (systems.contains(w)) return true;
  return false;
}

// Removes from `left` what `font` draws.
void dropCovered(const QRawFont& font, std::vector<char32_t>& left) {
  if (!font.isValid()) return;
  left.erase(std::remove_if(left.begin(), left.end(), [&](char32_t c) { return font.supportsCharacter(c); }),
             left.end());
}

}  // namespace

FontCoverage fontCoverage(const QStringList& labels) {
  QSet<char32_t> distinct;
  for (const QString& label : labels)
    for (char32_t c : label.toUcs4())
      if (!QChar::isSpace(c) && QChar::category(c) != QChar::Other_Control) distinct.insert(c);
  std::vector<char32_t> left(distinct.begin(), distinct.end());
  std::sort(left.begin(), left.end());
  FontCoverage out;
  out.checked = static_cast<int>(left.size());
  // The application font draws most of them: one pass there first keeps the family scan short.
  dropCovered(QRawFont::fromFont(QApplication::font()), left);
  // A family is only loaded while something is left that it might draw: Han characters are only looked up in
  // families that declare a CJK writing system (a desktop has hundreds of families, a few of them CJK).
  for (const QString& family : QFontDatabase::families()) {
    if (left.empty()) break;  // (so cjkFontInstalled is only known when something is missing: all it is for)
    const bool cjk = declaresCjk(family);
    out.cjkFontInstalled |= cjk;
    if (!cjk && std::all_of(left.begin(), left.end(), isHan)) continue;
    std::vector<char32_t> candidates;
    for (char32_t c : left)
      if (cjk || !isHan(c)) candidates.push_back(c);
    const size_t before = candidates.size();
    dropCovered(QRawFont::fromFont(QFont(family)), candidates);
    if (candidates.size() == before) continue;
    QSet<char32_t> stillLeft(candidates.begin(), candidates.end());
    left.erase(std::remove_if(left.begin(), left.end(),
                              [&](char32_t c) { return (cjk || !isHan(c)) && !stillLeft.contains(c); }),
               left.end());
  }
  out.missing = QList<char32_t>(left.begin(), left.end());
  out.missingHan = static_cast<int>(std::count_if(left.begin(), left.end(), isHan));
  return out;
}

QString fontCoverageMessage(const FontCoverage& coverage) {
  if (coverage.missing.isEmpty()) return {};
  QStringList examples;
  for (char32_t c : coverage.missing.mid(0, 5))
    examples
        << QStringLiteral("%1 (U+%2)")
               .arg(QString::fromUcs4(&c, 1),
                    QString::number(static_cast<uint>(c), 16).toUpper().rightJustified(4, QLatin1Char('0')));
  QString message = QApplication::translate(
                        "FontCoverage",
                        "%n of the vocabulary's %1 characters cannot be drawn by any installed font and show "
                        "as empty boxes, for example %2.",
                        nullptr, static_cast<int>(coverage.missing.size()))
                        .arg(coverage.checked)
                        .arg(examples.join(QStringLiteral(", ")));
  if (coverage.missingHan > 0 && coverage.cjkFontInstalled)
    message +=
        QStringLiteral(" ") +
        QApplication::translate("FontCoverage",
                                "%n of them are rare Chinese, Japanese or Korean characters the installed "
                                "CJK fonts lack: fonts-noto-cjk (sudo apt install fonts-noto-cjk) covers "
                                "far more of them than fonts-wqy-microhei.",
                                nullptr, coverage.missingHan);
  else if (coverage.missingHan > 0)
    message +=
        QStringLiteral(" ") +
        QApplication::translate("FontCoverage",
                                "%n of them are Chinese, Japanese or Korean characters and no CJK font is "
                                "installed: install one, e.g. sudo apt install fonts-noto-cjk (complete) or "
                                "fonts-wqy-microhei (small), then restart the explorer.",
                                nullptr, coverage.missingHan);
  return message;
}

}  // namespace maxstate::ui
