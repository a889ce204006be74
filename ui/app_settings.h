#pragma once
// What the explorer remembers between runs (QSettings): window layout, last folder, recent files, theme,
// speed.
#include <QByteArray>
#include <QString>
#include <QStringList>

namespace maxstate::ui {

class AppSettings {
 public:
  static constexpr int kMaxRecent = 10;

  QStringList recentFiles() const;
  void addRecentFile(const QString& path);  // most recent first, no duplicates
  void removeRecentFile(const QString& path);
  QString lastFolder() const;
  void setLastFolder(const QString& folder);
  QString theme() const;  // "light" or "dark"
  void setTheme(const QString& theme);
  int playSpeed() const;
  void setPlaySpeed(int positionsPerSecond);
  QByteArray windowGeometry() const;
  QByteArray windowState() const;
  void setWindow(const QByteArray& geometry, const QByteArray& state);
};

}  // namespace maxstate::ui
