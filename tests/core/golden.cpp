#include "golden.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace maxstate::test {

std::string goldenDir(const std::string& set) { return std::string(MAXSTATE_GOLDEN_DIR) + "/" + set; }

std::vector<std::string> goldenCases(const std::string& set) {
  std::ifstream in(goldenDir(set) + "/cases.txt");
  std::vector<std::string> cases;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) cases.push_back(line);
  return cases;
}

nlohmann::json readJson(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

::testing::AssertionResult closeRelative(const FloatArray& a, const FloatArray& b, double rel) {
  if (a.shape() != b.shape())
    return ::testing::AssertionFailure()
           << "shape " << shapeToString(a.shape()) << " vs " << shapeToString(b.shape());
  double scale = 0, worst = 0;
  int64_t worstAt = -1;
  for (int64_t i = 0; i < b.size(); ++i) scale = std::max(scale, std::abs(double(b[i])));
  for (int64_t i = 0; i < a.size(); ++i) {
    const double diff = std::abs(double(a[i]) - double(b[i]));
    if (!(diff <= worst)) {  // also catches NaN
      worst = std::isnan(diff) ? INFINITY : diff;
      worstAt = i;
    }
  }
  const double limit = rel * std::max(scale, 1e-30);
  if (worst <= limit) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "max |diff| " << worst << " at flat index " << worstAt << " (" << a[worstAt] << " vs "
         << b[worstAt] << ") exceeds " << rel << " x " << scale;
}

}  // namespace maxstate::test
