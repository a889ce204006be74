#pragma once
// Turning what the user typed into what a trace takes: ids for a model (text through the model's vocabulary,
// or an id list), an input array for a bare layer (a seeded random input: a layer has no tokens).
#include <QString>
#include <QStringList>
#include <vector>

#include "maxstate/array.h"
#include "ui/session/model_handle.h"
#include "ui/session/session.h"

namespace maxstate::ui {

struct PreparedInput {
  std::vector<int64_t> ids;  // models
  FloatArray x;              // bare layers: [S, d]
  QStringList labels;        // one per position
};

// Throws maxstate::Error(Usage) with what to do for empty input, bad ids, text without a vocabulary.
PreparedInput prepareInput(const ModelHandle& model, const SessionInput& input);
// What a bare layer is traced on: N positions of standard normal values, the same for the same N and d.
FloatArray randomLayerInput(int64_t length, int64_t dim);
QStringList toQStringList(const std::vector<std::string>& labels);

}  // namespace maxstate::ui
