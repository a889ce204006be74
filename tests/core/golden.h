#pragma once
// Access to the golden data the PyTorch reference scripts write, and the comparisons every test uses.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "maxstate/array.h"

namespace maxstate::test {

// Folder of one golden set, e.g. goldenDir("layer"); skips the calling test when it was not generated.
std::string goldenDir(const std::string& set);
std::vector<std::string> goldenCases(const std::string& set);
nlohmann::json readJson(const std::string& path);

// Max |a - b| must not exceed rel * max(|b|, tiny): error scaled by the reference tensor's magnitude.
::testing::AssertionResult closeRelative(const FloatArray& a, const FloatArray& b, double rel);
template <class T>
::testing::AssertionResult identical(const Array<T>& a, const Array<T>& b) {
  if (a.shape() != b.shape())
    return ::testing::AssertionFailure()
           << "shape " << shapeToString(a.shape()) << " vs " << shapeToString(b.shape());
  for (int64_t i = 0; i < a.size(); ++i)
    if (!(a[i] == b[i]))
      return ::testing::AssertionFailure()
             << "first difference at flat index " << i << ": " << a[i] << " vs " << b[i];
  return ::testing::AssertionSuccess();
}

}  // namespace maxstate::test
