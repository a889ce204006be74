// The one parser of the `all|N` options (--layer, --head): what it accepts, and the whole message of what it
// refuses, since the user acts on that message.
#include <gtest/gtest.h>

#include "cli/index_option.h"
#include "expect_error.h"

namespace maxstate::cli {
namespace {

TEST(AllOrIndex, AllIsEveryIndexInOrder) {
  EXPECT_EQ(parseAllOrIndex("layer", "all", 3, "layer"), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(parseAllOrIndex("head", "all", 1, "head"), (std::vector<int>{0}));
  EXPECT_TRUE(parseAllOrIndex("layer", "all", 0, "layer").empty());
}

TEST(AllOrIndex, ANumberIsThatIndex) {
  EXPECT_EQ(parseAllOrIndex("layer", "0", 13, "layer"), (std::vector<int>{0}));
  EXPECT_EQ(parseAllOrIndex("layer", "12", 13, "layer"), (std::vector<int>{12}));
  EXPECT_EQ(parseAllOrIndex("head", "7", 8, "head"), (std::vector<int>{7}));
}

TEST(AllOrIndex, OutOfRangeNamesTheOptionAndTheValidIndices) {
  expectError([] { parseAllOrIndex("layer", "12", 12, "layer"); }, ErrorKind::Usage,
              "--layer 12 does not exist: the model has 12 layers, 0..11");
  expectError([] { parseAllOrIndex("layer", "-1", 12, "layer"); }, ErrorKind::Usage,
              "--layer -1 does not exist: the model has 12 layers, 0..11");
  expectError([] { parseAllOrIndex("head", "1", 1, "head"); }, ErrorKind::Usage,
              "--head 1 does not exist: the model has 1 head, 0");
  expectError([] { parseAllOrIndex("layer", "0", 0, "layer"); }, ErrorKind::Usage,
              "--layer 0 does not exist: the model has no layers");
  // Beyond any integer: still "does not exist", not a crash or a wrapped-around index.
  expectError([] { parseAllOrIndex("head", "99999999999999999999", 8, "head"); }, ErrorKind::Usage,
              "--head 99999999999999999999 does not exist: the model has 8 heads, 0..7");
  expectError([] { parseAllOrIndex("head", "4294967296", 8, "head"); }, ErrorKind::Usage,
              "--head 4294967296 does not exist: the model has 8 heads, 0..7");
}

TEST(AllOrIndex, NotANumberNamesTheOption) {
  for (const char* bad : {"x", "1x", "", " 1", "+1", "1.0", "ALL", "all ", "0x1", "--1"})
    expectError([&] { parseAllOrIndex("layer", bad, 12, "layer"); }, ErrorKind::Usage,
                std::string("--layer expects a layer number or 'all', got '") + bad + "'");
  expectError([] { parseAllOrIndex("head", "x", 8, "head"); }, ErrorKind::Usage,
              "--head expects a head number or 'all', got 'x'");
}

}  // namespace
}  // namespace maxstate::cli
