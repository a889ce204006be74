#pragma once
// Screenshots the UI tests take: written into the build tree (MAXSTATE_SCREENSHOT_DIR, build/screenshots), so
// that running the tests leaves the checkout unchanged; `tools/dev screenshots` copies them into
// docs/screenshots on purpose.
#include <QDir>
#include <QImage>
#include <QSet>
#include <QWidget>
#include <QtTest>

namespace maxstate::test {

inline QString screenshotDir() { return QStringLiteral(MAXSTATE_SCREENSHOT_DIR); }

// Saves `image` as NAME.png after checking it is not blank: a broken window is one colour. A window full of
// plots has hundreds of colours; an empty one (text and buttons) a handful.
inline void saveScreenshotImage(const QImage& image, const QString& name, int minColours = 50) {
  QVERIFY(!image.isNull());
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); y += 7)
    for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y));
  QVERIFY2(colours.size() > minColours,
           qPrintable(QStringLiteral("%1 looks blank (%2 colours)").arg(name).arg(colours.size())));
  QVERIFY(QDir().mkpath(screenshotDir()));
  QVERIFY(image.save(screenshotDir() + "/" + name + ".png"));
}

inline void saveScreenshot(QWidget* w, const QString& name, int minColours = 50) {
  saveScreenshotImage(w->grab().toImage(), name, minColours);
}

}  // namespace maxstate::test
