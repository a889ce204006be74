#pragma once
// The export dialog: format (PNG, SVG, PDF, CSV, .npy), image size and scale, where to write; for the state
// heatmap also what to show (state, source, terms, one term), which positions, and how many heatmaps (this
// head, all heads of the layer, all layers). Remembers its last folder, format, size and scale (QSettings).
#include <QDialog>
#include <QSize>
#include <QStringList>
#include <optional>

#include "ui/export/heatmap_export.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace maxstate::ui {

enum class ExportScope { Head, LayerHeads, AllLayers };

struct ExportChoice {
  ExportFormat format = ExportFormat::Png;
  QSize size;  // empty: fit to the data (heatmaps)
  double scale = 1.0;
  QString path;  // the file; the folder when several heatmaps are written
  // Heatmaps only.
  QString what = QStringLiteral("state");
  HeatmapColours colours = HeatmapColours::Diverging;
  ExportScope scope = ExportScope::Head;
  int64_t begin = 0, end = 0;  // positions [begin, end)
  bool several() const { return scope != ExportScope::Head; }
};

struct HeatmapExportOptions {
  QString model;           // names the default folder of a batch
  QStringList quantities;  // "state", "source", "terms", "T1", ...
  int layer = 0, head = 0, layers = 1, heads = 1;
  int64_t length = 0;          // positions traced
  int64_t begin = 0, end = 0;  // the range shown
};

class ExportDialog : public QDialog {
  Q_OBJECT
 public:
  // `stem` names the file (without extension) for one plot or heatmap; `plotSize` is the on-screen size.
  ExportDialog(const QString& title, const QString& stem, QSize plotSize,
               std::optional<HeatmapExportOptions> heatmap, QWidget* parent = nullptr);

  ExportChoice choice() const;
  // Offers CSV and .npy only (for tables that have no picture, like the logit lens).
  void setDataOnly();

  // The parts, for tests.
  QComboBox* formatBox() const { return m_format; }
  QComboBox* whatBox() const { return m_what; }
  QComboBox* scopeBox() const { return m_scope; }
  QComboBox* coloursBox() const { return m_colours; }
  QLineEdit* pathEdit() const { return m_path; }
  QSpinBox* widthBox() const { return m_width; }
  QSpinBox* heightBox() const { return m_height; }
  QDoubleSpinBox* scaleBox() const { return m_scale; }
  QCheckBox* fitBox() const { return m_fit; }
  QSpinBox* beginBox() const { return m_begin; }
  QSpinBox* endBox() const { return m_end; }

  void accept() override;

 private:
  void browse();
  void updatePath();
  void updateEnabled();
  ExportFormat format() const;

  QString m_stem;
  QFormLayout* m_form;
  QHBoxLayout* m_sizeRow;
  bool m_heatmap;
  QComboBox* m_format;
  QComboBox* m_what = nullptr;
  QComboBox* m_scope = nullptr;
  QComboBox* m_colours = nullptr;
  QSpinBox* m_begin = nullptr;
  QSpinBox* m_end = nullptr;
  QCheckBox* m_fit = nullptr;
  QSpinBox* m_width;
  QSpinBox* m_height;
  QDoubleSpinBox* m_scale;
  QLineEdit* m_path;
  QLabel* m_note;
  HeatmapExportOptions m_options;
};

}  // namespace maxstate::ui
