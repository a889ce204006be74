#include "ui/export/plot_export.h"

#include <qcustomplot.h>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "maxstate/atomic_file.h"
#include "maxstate/error.h"
#include "maxstate/npy.h"

namespace maxstate::ui {

namespace {

// Shortest text that reads back as the same double ("3" for 3.0, "nan" for NaN).
std::string number(double v) {
  if (std::isnan(v)) return "nan";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, result.ptr);
}

std::string csvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::string labelOf(const QCPAxis* axis, const char* fallback) {
  return axis && !axis->label().isEmpty() ? axis->label().toStdString() : fallback;
}

PlotTable tableFromColorMap(QCPColorMap& map) {
  QCPColorMapData& data = *map.data();
  const int keys = data.keySize(), values = data.valueSize();
  PlotTable table;
  table.labelColumns = {labelOf(map.valueAxis(), "row") + "/" + labelOf(map.keyAxis(), "column")};
  table.values = Array<double>({values, keys});
  for (int k = 0; k < keys; ++k) {
    double key = 0, value = 0;
    data.cellToCoord(k, 0, &key, &value);
    table.valueColumns.push_back(number(key));
  }
  for (int v = 0; v < values; ++v) {
    double key = 0, value = 0;
    data.cellToCoord(0, v, &key, &value);
    table.rowLabels.push_back({number(value)});
    for (int k = 0; k < keys; ++k) table.values.at({v, k}) = data.cell(k, v);
  }
  return table;
}

// Graphs and bars: one row per key, one column per series.
PlotTable tableFromSeries(QCustomPlot& plot) {
  struct Series {
    std::string name;
    std::map<double, double> points;
    QCPAxis* keyAxis;
    QCPAxis* valueAxis;
  };
  std::vector<Series> series;
  const bool severalRects = plot.axisRects().size() > 1;
  for (int i = 0; i < plot.plottableCount(); ++i) {
    QCPAbstractPlottable* p = plot.plottable(i);
    if (!p->visible()) continue;
    Series s{p->name().toStdString(), {}, p->keyAxis(), p->valueAxis()};
    if (auto* graph = qobject_cast<QCPGraph*>(p)) {
      for (const QCPGraphData& d : *graph->data()) s.points[d.key] = d.value;
    } else if (auto* bars = qobject_cast<QCPBars*>(p)) {
      for (const QCPBarsData& d : *bars->data()) s.points[d.key] = d.value;
    } else {
      continue;
    }
    if (s.points.empty()) continue;
    const std::string axis = labelOf(p->valueAxis(), "value");
    if (s.name.empty())
      s.name = axis;
    else if (severalRects)
      s.name = axis + " · " + s.name;
    series.push_back(std::move(s));
  }
  if (series.empty()) throw Error(ErrorKind::Usage, "the plot shows no data to export");

  std::set<double> keys;
  for (const Series& s : series)
    for (const auto& point : s.points) keys.insert(point.first);
  // Series that each hold their own keys (one bar per term, say) make one column, not a diagonal.
  bool disjoint = true;
  for (double k : keys) {
    int holders = 0;
    for (const Series& s : series) holders += s.points.count(k) ? 1 : 0;
    disjoint = disjoint && holders <= 1;
  }
  const bool collapse = disjoint && series.size() > 1;

  PlotTable table;
  QCPAxis* keyAxis = series.front().keyAxis;
  // Stacked axis rects (the alphas) label only the bottom one.
  std::string keyName = labelOf(keyAxis, "key");
  for (const Series& s : series)
    if (keyName == "key") keyName = labelOf(s.keyAxis, "key");
  table.labelColumns = {keyName};
  auto* text = dynamic_cast<QCPAxisTickerText*>(keyAxis->ticker().data());
  if (text) table.labelColumns.push_back("label");
  if (collapse)
    table.valueColumns = {labelOf(series.front().valueAxis, "value")};
  else
    for (const Series& s : series) table.valueColumns.push_back(s.name);
  table.values =
      Array<double>({static_cast<int64_t>(keys.size()), static_cast<int64_t>(table.valueColumns.size())});
  int64_t row = 0;
  for (double k : keys) {
    std::vector<std::string> labels = {number(k)};
    if (text) labels.push_back(text->ticks().value(k).toStdString());
    table.rowLabels.push_back(std::move(labels));
    for (size_t c = 0; c < series.size(); ++c) {
      const auto found = series[c].points.find(k);
      const double v =
          found == series[c].points.end() ? std::numeric_limits<double>::quiet_NaN() : found->second;
      if (collapse) {
        if (found != series[c].points.end()) table.values.at({row, 0}) = v;
      } else {
        table.values.at({row, static_cast<int64_t>(c)}) = v;
      }
    }
    ++row;
  }
  return table;
}

void openForWriting(QSaveFile& file, const std::string& path) {
  if (!file.open(QIODevice::WriteOnly))
    throw Error(ErrorKind::BadFile, "cannot write " + path + ": " + file.errorString().toStdString());
}

}  // namespace

PlotTable tableFromPlot(QCustomPlot& plot) {
  for (int i = 0; i < plot.plottableCount(); ++i)
    if (auto* map = qobject_cast<QCPColorMap*>(plot.plottable(i)); map && !map->data()->isEmpty())
      return tableFromColorMap(*map);
  return tableFromSeries(plot);
}

void writePlotTableCsv(const PlotTable& table, const std::string& path) {
  writeFileAtomically(path, [&](std::ostream& out) {
    bool first = true;
    auto field = [&](const std::string& s) {
      if (!first) out << ',';
      out << csvField(s);
      first = false;
    };
    for (const auto& c : table.labelColumns) field(c);
    for (const auto& c : table.valueColumns) field(c);
    out << '\n';
    const int64_t columns = static_cast<int64_t>(table.valueColumns.size());
    for (int64_t r = 0; r < table.rows(); ++r) {
      first = true;
      for (const auto& label : table.rowLabels[static_cast<size_t>(r)]) field(label);
      for (int64_t c = 0; c < columns; ++c) field(number(table.values.at({r, c})));
      out << '\n';
    }
  });
}

void writePlotTableNpy(const PlotTable& table, const std::string& path) {
  if (table.npyShape.empty() || shapeNumel(table.npyShape) != table.values.size())
    return writeNpy(path, table.values);
  writeNpy(path, Array<double>(table.npyShape, table.values.buffer()));
}

void writePlotTable(const PlotTable& table, ExportFormat format, const std::string& path) {
  if (format == ExportFormat::Csv) return writePlotTableCsv(table, path);
  if (format == ExportFormat::Npy) return writePlotTableNpy(table, path);
  throw Error(ErrorKind::Usage,
              std::string("a table has no picture: export it as csv or npy, not ") + extensionOf(format));
}

void checkImageSize(QSize size, double scale) {
  if (size.width() < 100 || size.height() < 100 || size.width() > 20000 || size.height() > 20000 ||
      !(scale > 0) || scale > 8) {
    throw Error(ErrorKind::Usage, "image size " + std::to_string(size.width()) + "x" +
                                      std::to_string(size.height()) + " (scale " + number(scale) +
                                      ") is out of bounds: 100..20000 pixels a side, scale up to 8");
  }
}

void writePlotImage(QCustomPlot& plot, ExportFormat format, const std::string& path, QSize size, double scale,
                    const std::string& title) {
  checkImageSize(size, scale);
  QSaveFile file(QString::fromStdString(path));
  openForWriting(file, path);
  const int w = size.width(), h = size.height();
  if (format == ExportFormat::Png) {
    const QPixmap pixmap = plot.toPixmap(w, h, scale);
    if (pixmap.isNull() || !pixmap.toImage().save(&file, "PNG")) {
      file.cancelWriting();
      throw Error(ErrorKind::BadFile, "cannot render the PNG image for " + path);
    }
  } else if (format == ExportFormat::Svg) {
    QSvgGenerator svg;
    svg.setOutputDevice(&file);
    svg.setSize(size);
    svg.setViewBox(QRect(0, 0, w, h));
    svg.setTitle(QString::fromStdString(title));
    svg.setDescription(QStringLiteral("MaxState Explorer"));
    QCPPainter painter;
    painter.begin(&svg);
    plot.toPainter(&painter, w, h);
    painter.end();
  } else if (format == ExportFormat::Pdf) {
    QPdfWriter pdf(&file);
    pdf.setCreator(QStringLiteral("MaxState Explorer"));
    pdf.setTitle(QString::fromStdString(title));
    pdf.setResolution(72);  // one logical pixel = one point
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    pdf.setPageSize(QPageSize(QSizeF(w, h), QPageSize::Point, QString(), QPageSize::ExactMatch));
    QCPPainter painter;
    if (!painter.begin(&pdf)) {
      file.cancelWriting();
      throw Error(ErrorKind::BadFile, "cannot start a PDF for " + path);
    }
    painter.setMode(QCPPainter::pmVectorized);
    painter.setMode(QCPPainter::pmNoCaching);
    painter.setWindow(0, 0, w, h);
    plot.toPainter(&painter, w, h);
    painter.end();
  } else {
    file.cancelWriting();
    throw Error(ErrorKind::Internal, "writePlotImage called for a data format");
  }
  if (!file.commit())
    throw Error(ErrorKind::BadFile, "cannot write " + path + ": " + file.errorString().toStdString());
}

}  // namespace maxstate::ui
