#pragma once
// What the explorer remembers between runs (QSettings): window layout, last folder, recent files, theme,
// speed.
#include <QByteArray>
#include <QSize>
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
  // The export dialog's last choices.
  QString exportFolder() const;  // the last folder opened from when nothing was exported yet
  void setExportFolder(const QString& folder);
  QString exportFormat() const;  // "png", "svg", "pdf", "csv", "npy"
  void setExportFormat(const QString& format);
  QSize exportSize() const;  // empty until set
  void setExportSize(QSize size);
  double exportScale() const;
  void setExportScale(double scale);
  QString exportColours() const;  // "diverging" or "viridis"
  void setExportColours(const QString& colours);
  bool exportFitSize() const;
  void setExportFitSize(bool fit);
  QByteArray windowGeometry() const;
  QByteArray windowState() const;
  void setWindow(const QByteArray& geometry, const QByteArray& state);
};

}  // namespace maxstate::ui
