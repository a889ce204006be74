#include "ui/session/input_prep.h"

#include <random>

#include "maxstate/error.h"
#include "ui/data/view_data.h"

namespace maxstate::ui {

QStringList toQStringList(const std::vector<std::string>& labels) {
  QStringList out;
  out.reserve(static_cast<qsizetype>(labels.size()));
  for (const auto& l : labels) out.push_back(QString::fromStdString(l));
  return out;
}

FloatArray randomLayerInput(int64_t length, int64_t dim) {
  FloatArray x({length, dim});
  std::mt19937 rng(20240601u);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (int64_t i = 0; i < x.size(); ++i) x[i] = normal(rng);
  return x;
}

PreparedInput prepareInput(const ModelHandle& model, const SessionInput& input) {
  PreparedInput out;
  const ModelInfo& info = model.info();
  if (info.kind == ModelKind::Layer) {
    if (input.randomLength < 1 || input.randomLength > 1'000'000)
      throw Error(ErrorKind::Usage,
                  "a bare layer is traced on a random input: give a length from 1 to 1000000");
    out.x = randomLayerInput(input.randomLength, info.hidden);
    for (int64_t p = 0; p < input.randomLength; ++p) out.labels.push_back(QString::number(p));
    return out;
  }
  InputRequest request;
  request.kind = input.kind;
  request.value = input.text.toStdString();
  request.tokenizer = input.tokenizer;
  out.ids = model.encodeInput(request).ids;
  out.labels = toQStringList(model.labels(out.ids));
  return out;
}

}  // namespace maxstate::ui
