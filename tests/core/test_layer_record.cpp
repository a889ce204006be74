// LayerRecord's accessors (head slices, term slices, position columns) against the row-major layout they
// decode, on a record whose every value says where it sits.
#include <gtest/gtest.h>

#include "maxstate/layer.h"

using namespace maxstate;

namespace {

// S=3 positions from global position 7, H=2 heads, dh=4 channels, T=5 terms. Value = a code of its index.
LayerRecord codedRecord() {
  LayerRecord r;
  r.begin = 7;
  r.state = FloatArray({3, 2, 4});
  r.source = IndexArray({3, 2, 4});
  r.terms = FloatArray({5, 3, 2, 4});
  r.output = FloatArray({3, 8});
  for (int64_t i = 0; i < r.state.size(); ++i) {
    r.state[i] = static_cast<float>(i);
    r.source[i] = 1000 + i;
  }
  for (int64_t i = 0; i < r.terms.size(); ++i) r.terms[i] = static_cast<float>(-i);
  return r;
}

}  // namespace

TEST(LayerRecord, SizesComeFromTheArrays) {
  const LayerRecord r = codedRecord();
  EXPECT_EQ(r.positions(), 3);
  EXPECT_EQ(r.end(), 10);
  EXPECT_EQ(r.heads(), 2);
  EXPECT_EQ(r.headDim(), 4);
  EXPECT_EQ(r.termCount(), 5);
  EXPECT_TRUE(r.hasPosition(7));
  EXPECT_TRUE(r.hasPosition(9));
  EXPECT_FALSE(r.hasPosition(6));
  EXPECT_FALSE(r.hasPosition(10));
  const LayerRecord empty;
  EXPECT_EQ(empty.positions(), 0);
  EXPECT_EQ(empty.termCount(), 0);
  EXPECT_TRUE(empty.stateOfHead(0).empty());
  EXPECT_TRUE(empty.termOfHead(0, 0).empty());
}

TEST(LayerRecord, HeadSlicesReadEveryCellAtGlobalPositions) {
  const LayerRecord r = codedRecord();
  for (int64_t h = 0; h < 2; ++h) {
    const HeadSlice<float> state = r.stateOfHead(h);
    const HeadSlice<int64_t> source = r.sourceOfHead(h);
    EXPECT_EQ(state.begin, 7);
    EXPECT_EQ(state.length, 3);
    EXPECT_EQ(state.headDim, 4);
    for (int64_t s = 0; s < 3; ++s)
      for (int64_t j = 0; j < 4; ++j) {
        EXPECT_EQ(state.at(7 + s, j), r.state.at({s, h, j}));
        EXPECT_EQ(source.at(7 + s, j), r.source.at({s, h, j}));
        EXPECT_EQ(r.stateAt(7 + s, h, j), r.state.at({s, h, j}));
        EXPECT_EQ(r.sourceAt(7 + s, h, j), r.source.at({s, h, j}));
        EXPECT_EQ(state.column(7 + s)[j], r.state.at({s, h, j}));
      }
  }
  // Spot values by hand: (position 8, head 1, channel 2) is flat index (1 * 2 + 1) * 4 + 2 = 14.
  EXPECT_EQ(r.stateAt(8, 1, 2), 14.0f);
  EXPECT_EQ(r.sourceAt(8, 1, 2), 1014);
}

TEST(LayerRecord, TermSlicesReadEveryTerm) {
  const LayerRecord r = codedRecord();
  for (int t = 0; t < 5; ++t)
    for (int64_t h = 0; h < 2; ++h) {
      const HeadSlice<float> slice = r.termOfHead(t, h);
      for (int64_t s = 0; s < 3; ++s)
        for (int64_t j = 0; j < 4; ++j) {
          EXPECT_EQ(slice.at(7 + s, j), r.terms.at({t, s, h, j}));
          EXPECT_EQ(r.termAt(t, 7 + s, h, j), r.terms.at({t, s, h, j}));
        }
    }
  // T4 (index 3) at position 9, head 0, channel 3: ((3 * 3 + 2) * 2 + 0) * 4 + 3 = 91.
  EXPECT_EQ(r.termAt(3, 9, 0, 3), -91.0f);
}

TEST(LayerRecord, PositionColumnHoldsEveryHeadAtOnePosition) {
  const LayerRecord r = codedRecord();
  for (int64_t s = 0; s < 3; ++s) {
    const float* column = r.stateColumn(7 + s);
    for (int64_t h = 0; h < 2; ++h)
      for (int64_t j = 0; j < 4; ++j) EXPECT_EQ(column[h * 4 + j], r.state.at({s, h, j}));
  }
}
