#include "ui/views/export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

#include "ui/app_settings.h"

namespace maxstate::ui {

ExportDialog::ExportDialog(const QString& title, const QString& stem, QSize plotSize,
                           std::optional<HeatmapExportOptions> heatmap, QWidget* parent)
    : QDialog(parent), m_stem(stem), m_heatmap(heatmap.has_value()) {
  setWindowTitle(title);
  setObjectName("exportDialog");
  if (heatmap) m_options = *heatmap;
  const AppSettings settings;
  auto* form = m_form = new QFormLayout;

  if (m_heatmap) {
    m_what = new QComboBox(this);
    m_what->addItems(m_options.quantities);
    form->addRow(tr("&Show:"), m_what);
    m_scope = new QComboBox(this);
    m_scope->addItem(tr("Head %1 of layer %2").arg(m_options.head).arg(m_options.layer));
    m_scope->addItem(tr("All %1 heads of layer %2").arg(m_options.heads).arg(m_options.layer));
    m_scope->addItem(tr("All heads of all %1 layers (%2 heatmaps)")
                         .arg(m_options.layers)
                         .arg(m_options.layers * m_options.heads));
    form->addRow(tr("&Heatmaps:"), m_scope);
    auto* range = new QHBoxLayout;
    m_begin = new QSpinBox(this);
    m_end = new QSpinBox(this);
    const int length = static_cast<int>(m_options.length);
    m_begin->setRange(0, std::max(length - 1, 0));
    m_end->setRange(1, std::max(length, 1));
    m_begin->setValue(static_cast<int>(m_options.begin));
    m_end->setValue(static_cast<int>(m_options.end));
    m_begin->setToolTip(tr("First position (included)"));
    m_end->setToolTip(tr("End position (excluded); the trace has %1 positions").arg(length));
    range->addWidget(m_begin);
    range->addWidget(new QLabel(tr("to"), this));
    range->addWidget(m_end);
    auto* all = new QPushButton(tr("All"), this);
    all->setToolTip(tr("Every traced position"));
    connect(all, &QPushButton::clicked, this, [this, length] {
      m_begin->setValue(0);
      m_end->setValue(length);
    });
    range->addWidget(all);
    range->addStretch();
    auto* rangeLabel = new QLabel(tr("&Positions:"), this);
    rangeLabel->setBuddy(m_begin);
    form->addRow(rangeLabel, range);
  }

  m_format = new QComboBox(this);
  m_format->addItem(tr("PNG image"), "png");
  m_format->addItem(tr("SVG vector image"), "svg");
  m_format->addItem(tr("PDF vector image"), "pdf");
  m_format->addItem(tr("CSV data (exactly the values shown)"), "csv");
  m_format->addItem(tr("NumPy .npy data (exactly the values shown)"), "npy");
  const int remembered = m_format->findData(settings.exportFormat());
  m_format->setCurrentIndex(remembered >= 0 ? remembered : 0);
  form->addRow(tr("&Format:"), m_format);

  if (m_heatmap) {
    m_colours = new QComboBox(this);
    m_colours->addItem(tr("Diverging: zero white, blue below, red above"), "diverging");
    m_colours->addItem(tr("Viridis, smallest to largest (as in the explorer)"), "viridis");
    const int colours = m_colours->findData(settings.exportColours());
    m_colours->setCurrentIndex(colours >= 0 ? colours : 0);
    m_colours->setToolTip(tr("How images colour state and term values; sources are always viridis"));
    form->addRow(tr("&Colours:"), m_colours);
  }

  auto* sizeRow = m_sizeRow = new QHBoxLayout;
  m_width = new QSpinBox(this);
  m_height = new QSpinBox(this);
  for (QSpinBox* box : {m_width, m_height}) {
    box->setRange(100, 20000);
    box->setSuffix(tr(" px"));
  }
  const QSize size = settings.exportSize().isEmpty() ? plotSize : settings.exportSize();
  m_width->setValue(std::max(size.width(), 100));
  m_height->setValue(std::max(size.height(), 100));
  sizeRow->addWidget(m_width);
  sizeRow->addWidget(new QLabel(QStringLiteral("x"), this));
  sizeRow->addWidget(m_height);
  if (m_heatmap) {
    m_fit = new QCheckBox(tr("Fit to the data"), this);
    m_fit->setToolTip(tr("Room for every channel and, when few enough to read, every token label"));
    m_fit->setChecked(settings.exportFitSize());
    sizeRow->addWidget(m_fit);
    connect(m_fit, &QCheckBox::toggled, this, &ExportDialog::updateEnabled);
  }
  sizeRow->addStretch();
  auto* sizeLabel = new QLabel(tr("Image &size:"), this);
  sizeLabel->setBuddy(m_width);
  form->addRow(sizeLabel, sizeRow);
  m_scale = new QDoubleSpinBox(this);
  m_scale->setRange(0.25, 8);
  m_scale->setSingleStep(0.5);
  m_scale->setDecimals(2);
  m_scale->setPrefix(QStringLiteral("x "));
  m_scale->setValue(settings.exportScale());
  m_scale->setToolTip(tr("PNG pixels per logical pixel: 2 for a sharp figure on a high-resolution page"));
  form->addRow(tr("PNG s&cale:"), m_scale);

  auto* pathRow = new QHBoxLayout;
  m_path = new QLineEdit(this);
  m_path->setMinimumWidth(420);
  auto* browse = new QPushButton(tr("&Browse..."), this);
  pathRow->addWidget(m_path, 1);
  pathRow->addWidget(browse);
  auto* pathLabel = new QLabel(tr("&Save to:"), this);
  pathLabel->setBuddy(m_path);
  form->addRow(pathLabel, pathRow);
  m_note = new QLabel(this);
  m_note->setWordWrap(true);
  m_note->setTextFormat(Qt::PlainText);
  m_note->setObjectName("exportNote");

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
  buttons->addButton(tr("&Export"), QDialogButtonBox::AcceptRole)->setDefault(true);
  connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(m_note);
  layout->addStretch();
  layout->addWidget(buttons);

  // A path in the last folder the user exported to; the name follows the choices until the user edits it.
  const QString folder = settings.exportFolder();
  m_path->setText(QDir(folder).filePath(QStringLiteral("x")));
  updatePath();
  connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
  connect(m_path, &QLineEdit::textChanged, this, &ExportDialog::updateEnabled);
  connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
    updatePath();
    updateEnabled();
  });
  if (m_heatmap) {
    connect(m_what, &QComboBox::currentIndexChanged, this, &ExportDialog::updatePath);
    connect(m_scope, &QComboBox::currentIndexChanged, this, [this] {
      updatePath();
      updateEnabled();
    });
  }
  updateEnabled();
}

ExportFormat ExportDialog::format() const {
  return parseExportFormat(m_format->currentData().toString().toStdString());
}

void ExportDialog::setDataOnly() {
  for (int i = m_format->count() - 1; i >= 0; --i)
    if (isImageFormat(parseExportFormat(m_format->itemData(i).toString().toStdString())))
      m_format->removeItem(i);
  m_form->setRowVisible(m_sizeRow, false);
  m_form->setRowVisible(m_scale, false);
  updatePath();
  updateEnabled();
}

ExportChoice ExportDialog::choice() const {
  ExportChoice c;
  c.format = format();
  c.size = m_fit && m_fit->isChecked() ? QSize() : QSize(m_width->value(), m_height->value());
  c.scale = c.format == ExportFormat::Png ? m_scale->value() : 1.0;
  c.path = m_path->text().trimmed();
  if (m_heatmap) {
    c.what = m_what->currentText();
    c.colours = parseHeatmapColours(m_colours->currentData().toString().toStdString());
    c.scope = static_cast<ExportScope>(m_scope->currentIndex());
    c.begin = m_begin->value();
    c.end = m_end->value();
  }
  return c;
}

void ExportDialog::updatePath() {
  const ExportChoice c = choice();
  // The folder the current path lives in (a batch's own folder lives there too).
  const QString folder = QFileInfo(c.path).absolutePath();
  if (c.several()) {
    m_path->setText(QDir(folder).filePath(m_options.model + QStringLiteral("_heatmaps")));
  } else {
    const QString name = m_heatmap ? m_stem + QStringLiteral("_") + c.what : m_stem;
    m_path->setText(
        QDir(folder).filePath(name + QStringLiteral(".") + QString::fromLatin1(extensionOf(c.format))));
  }
}

void ExportDialog::updateEnabled() {
  const ExportChoice c = choice();
  const bool image = isImageFormat(c.format);
  const bool fit = m_fit && m_fit->isChecked();
  m_width->setEnabled(image && !fit);
  m_height->setEnabled(image && !fit);
  if (m_fit) m_fit->setEnabled(image);
  m_scale->setEnabled(c.format == ExportFormat::Png);
  if (m_colours) m_colours->setEnabled(image);
  QString note;
  if (c.several()) {
    note = tr("Writes one file per heatmap into this folder (created if missing): layer<L>_head<H>_%1.%2")
               .arg(c.what, QString::fromLatin1(extensionOf(c.format)));
  } else if (!image) {
    note = m_heatmap ? tr("Channels down, positions across; sources as token positions (int64 in .npy).")
                     : tr("The numbers the plot draws.");
  }
  if (!c.several() && QFileInfo(c.path).isFile())
    note += (note.isEmpty() ? QString() : QStringLiteral(" ")) +
            tr("%1 exists: it is replaced once the new file is complete.").arg(QFileInfo(c.path).fileName());
  m_note->setText(note);
}

void ExportDialog::browse() {
  const ExportChoice c = choice();
  QString chosen;
  if (c.several()) {
    chosen = QFileDialog::getExistingDirectory(this, tr("Folder for the heatmaps"), c.path);
  } else {
    const QString ext = QString::fromLatin1(extensionOf(c.format));
    chosen = QFileDialog::getSaveFileName(this, tr("Export to"), c.path,
                                          tr("%1 files (*.%2)").arg(ext.toUpper(), ext));
  }
  if (!chosen.isEmpty()) m_path->setText(chosen);
}

void ExportDialog::accept() {
  const ExportChoice c = choice();
  if (c.path.isEmpty()) {
    m_note->setText(tr("Choose where to save."));
    return;
  }
  if (m_heatmap && c.begin >= c.end) {
    m_note->setText(tr("The position range is empty: the first position must come before the end."));
    return;
  }
  if (!c.several() && QFileInfo(c.path).isDir()) {
    m_note->setText(tr("%1 is a folder: give a file name.").arg(c.path));
    return;
  }
  AppSettings settings;
  settings.setExportFolder(QFileInfo(c.path).absolutePath());
  settings.setExportFormat(QString::fromLatin1(extensionOf(c.format)));
  settings.setExportScale(m_scale->value());
  settings.setExportSize(QSize(m_width->value(), m_height->value()));
  if (m_fit) settings.setExportFitSize(m_fit->isChecked());
  if (m_colours) settings.setExportColours(m_colours->currentData().toString());
  QDialog::accept();
}

}  // namespace maxstate::ui
