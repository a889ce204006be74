#include "ui/app_settings.h"

#include <QDir>
#include <QSettings>

namespace maxstate::ui {

namespace {
// Bump when the dock layout changes so that an old saved layout is not applied to new docks.
constexpr int kLayoutVersion = 1;
}  // namespace

QStringList AppSettings::recentFiles() const { return QSettings().value("recentFiles").toStringList(); }

void AppSettings::addRecentFile(const QString& path) {
  QStringList files = recentFiles();
  files.removeAll(path);
  files.prepend(path);
  while (files.size() > kMaxRecent) files.removeLast();
  QSettings().setValue("recentFiles", files);
}

void AppSettings::removeRecentFile(const QString& path) {
  QStringList files = recentFiles();
  files.removeAll(path);
  QSettings().setValue("recentFiles", files);
}

QString AppSettings::lastFolder() const {
  return QSettings().value("lastFolder", QDir::homePath()).toString();
}
void AppSettings::setLastFolder(const QString& folder) { QSettings().setValue("lastFolder", folder); }
QString AppSettings::theme() const { return QSettings().value("theme", "light").toString(); }
void AppSettings::setTheme(const QString& theme) { QSettings().setValue("theme", theme); }
int AppSettings::playSpeed() const { return QSettings().value("playSpeed", 8).toInt(); }
void AppSettings::setPlaySpeed(int positionsPerSecond) {
  QSettings().setValue("playSpeed", positionsPerSecond);
}

QString AppSettings::exportFolder() const {
  return QSettings().value("export/folder", lastFolder()).toString();
}
void AppSettings::setExportFolder(const QString& folder) { QSettings().setValue("export/folder", folder); }
QString AppSettings::exportFormat() const { return QSettings().value("export/format", "png").toString(); }
void AppSettings::setExportFormat(const QString& format) { QSettings().setValue("export/format", format); }
QSize AppSettings::exportSize() const { return QSettings().value("export/size").toSize(); }
void AppSettings::setExportSize(QSize size) { QSettings().setValue("export/size", size); }
double AppSettings::exportScale() const { return QSettings().value("export/scale", 1.0).toDouble(); }
void AppSettings::setExportScale(double scale) { QSettings().setValue("export/scale", scale); }
QString AppSettings::exportColours() const {
  return QSettings().value("export/colours", "diverging").toString();
}
void AppSettings::setExportColours(const QString& colours) {
  QSettings().setValue("export/colours", colours);
}
bool AppSettings::exportFitSize() const { return QSettings().value("export/fitSize", true).toBool(); }
void AppSettings::setExportFitSize(bool fit) { QSettings().setValue("export/fitSize", fit); }

QByteArray AppSettings::windowGeometry() const { return QSettings().value("window/geometry").toByteArray(); }

QByteArray AppSettings::windowState() const {
  QSettings s;
  if (s.value("window/layoutVersion").toInt() != kLayoutVersion) return {};
  return s.value("window/state").toByteArray();
}

void AppSettings::setWindow(const QByteArray& geometry, const QByteArray& state) {
  QSettings s;
  s.setValue("window/geometry", geometry);
  s.setValue("window/state", state);
  s.setValue("window/layoutVersion", kLayoutVersion);
}

}  // namespace maxstate::ui
