#include "compare/same_architecture.h"

#include "maxstate/error.h"

namespace maxstate::detail {
namespace {

template <class T>
void expectSame(const char* what, const T& a, const T& b) {
  if (a == b) return;
  auto text = [](const T& v) {
    if constexpr (std::is_same_v<T, std::string>)
      return v;
    else
      return std::to_string(v);
  };
  throw Error(ErrorKind::Shape, std::string("the models are not of one architecture: ") + what + " is " +
                                    text(a) + " in A, " + text(b) + " in B");
}

}  // namespace

void checkSameArchitecture(const ModelInfo& a, const ModelInfo& b) {
  expectSame<std::string>("the kind", kindName(a.kind), kindName(b.kind));
  expectSame<std::string>("the variant", variantName(a.variant), variantName(b.variant));
  expectSame<int64_t>("the hidden size", a.hidden, b.hidden);
  expectSame<int64_t>("the number of heads", a.heads, b.heads);
  expectSame<int64_t>("the number of layers", a.layers, b.layers);
  expectSame<int64_t>("the vocabulary size", a.vocabSize.value_or(0), b.vocabSize.value_or(0));
}

}  // namespace maxstate::detail
