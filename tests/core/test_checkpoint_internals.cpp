// The reader's building blocks on their own: dtype conversion (F16C and scalar paths against torch's values
// for every bit pattern), strided gathers, and the restricted unpickler's opcodes.
#include <gtest/gtest.h>

#include <cstring>

#include "checkpoint/checkpoint_builder.h"
#include "checkpoint/dtype_convert.h"
#include "checkpoint/pickle_machine.h"
#include "checkpoint_fixtures.h"

namespace maxstate::test {
namespace {

using namespace maxstate::detail;

std::vector<float> torchTable(const char* name) {
  const std::string bytes = readBytes(goldenDir("checkpoints") + "/" + name);
  std::vector<float> out(bytes.size() / 4);
  std::memcpy(out.data(), bytes.data(), out.size() * 4);
  return out;
}

TEST(CheckpointConvert, EveryHalfMatchesTorchOnBothPaths) {
  const auto expected = torchTable("halves.bin");
  if (expected.size() != 65536)
    GTEST_SKIP() << "no conversion table: run ctest (reference.checkpoints) first";
  std::vector<uint16_t> bits(65536);
  for (size_t i = 0; i < bits.size(); ++i) bits[i] = static_cast<uint16_t>(i);
  std::vector<float> fast(65536), scalar(65536);
  halfToFloatFast(bits.data(), fast.data(), bits.size());
  halfToFloatScalar(bits.data(), scalar.data(), bits.size());
  for (size_t i = 0; i < bits.size(); ++i) {
    ASSERT_TRUE(sameFloat(scalar[i], expected[i])) << "half 0x" << std::hex << i;
    ASSERT_TRUE(sameFloat(fast[i], expected[i])) << "half 0x" << std::hex << i;
    uint32_t a, b;  // and the two paths agree on every bit, NaN payloads included
    std::memcpy(&a, &fast[i], 4);
    std::memcpy(&b, &scalar[i], 4);
    ASSERT_EQ(a, b) << "half 0x" << std::hex << i;
  }
  std::cout << "F16C path in use: " << (hasF16C() ? "yes" : "no (scalar fallback)") << "\n";
}

TEST(CheckpointConvert, EveryBFloat16MatchesTorch) {
  const auto expected = torchTable("bfloat16s.bin");
  if (expected.size() != 65536) GTEST_SKIP() << "no conversion table";
  std::vector<uint16_t> bits(65536);
  for (size_t i = 0; i < bits.size(); ++i) bits[i] = static_cast<uint16_t>(i);
  std::vector<float> out(65536);
  convertContiguous(DType::BFloat16, reinterpret_cast<const char*>(bits.data()), out.data(), bits.size());
  for (size_t i = 0; i < bits.size(); ++i)
    ASSERT_TRUE(sameFloat(out[i], expected[i])) << "bf16 0x" << std::hex << i;
}

TEST(CheckpointConvert, UnalignedSourcesConvertLikeAlignedOnes) {
  std::vector<char> buffer(2 + 3000 * 8);
  for (size_t i = 0; i < buffer.size(); ++i) buffer[i] = static_cast<char>((i * 37 + 11) & 0x3f);
  for (DType t : {DType::Float16, DType::BFloat16, DType::Float64, DType::Float32}) {
    std::vector<char> aligned(buffer.begin() + 1, buffer.end() - 1);
    std::vector<float> a(3000), b(3000);
    convertContiguous(t, buffer.data() + 1, a.data(), 2999);  // odd address
    std::vector<char> copy(aligned);
    convertContiguous(t, copy.data(), b.data(), 2999);
    for (size_t i = 0; i < 2999; ++i) ASSERT_TRUE(sameFloat(a[i], b[i])) << dtypeName(t) << " " << i;
  }
}

TEST(CheckpointConvert, StridedViewsGatherTheRightElements) {
  std::vector<float> storage(300);  // the view reaches element 7 + 2 + 180 + 48 = 237
  for (size_t i = 0; i < storage.size(); ++i) storage[i] = static_cast<float>(i);
  const Shape shape{3, 4, 5};
  const Shape stride{1, 60, 12};  // a permuted view with gaps
  std::vector<float> out(60);
  convertStrided(DType::Float32, reinterpret_cast<const char*>(storage.data()), 7, shape, stride, out.data());
  size_t k = 0;
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 4; ++j)
      for (int64_t l = 0; l < 5; ++l) EXPECT_EQ(out[k++], static_cast<float>(7 + i + 60 * j + 12 * l));
  // A zero stride repeats an element; a row longer than the gather buffer still lands in place.
  std::vector<float> big(10000);
  convertStrided(DType::Float32, reinterpret_cast<const char*>(storage.data()), 5, {2, 5000}, {1, 0},
                 big.data());
  EXPECT_EQ(big[0], 5.f);
  EXPECT_EQ(big[4999], 5.f);
  EXPECT_EQ(big[5000], 6.f);
  EXPECT_EQ(big[9999], 6.f);
}

TEST(CheckpointConvert, WrapperPrefixesAreStrippedInAnyOrder) {
  EXPECT_EQ(stripWrapperPrefixes("module.em.weight"), "em.weight");
  EXPECT_EQ(stripWrapperPrefixes("_orig_mod.module.em.weight"), "em.weight");
  EXPECT_EQ(stripWrapperPrefixes("module._orig_mod.alpha"), "alpha");
  EXPECT_EQ(stripWrapperPrefixes("modules.x"), "modules.x");
  EXPECT_EQ(stripWrapperPrefixes("decoder.module.x"), "decoder.module.x");
}

PyValue* runPickle(PickleMachine& m, const std::string& bytes) {
  size_t pos = 0;
  PyValue* v = m.run(bytes, pos);
  EXPECT_EQ(pos, bytes.size());
  return v;
}

// pickle.dumps({'a': [1, 2.5, 'xé中', None, True, False, 2**70, -2**70, -5, b'\x00\xff', (1, 2)]},
// protocol=0)
TEST(PickleMachine, ReadsProtocolZeroTextOpcodes) {
  const std::string p0 =
      "(dp0\nVa\np1\n(lp2\nI1\naF2.5\naVx\xe9\\u4e2d\np3\naNaI01\naI00\naL1180591620717411303424L\naL-"
      "1180591620717411303424L\naI-5\nac_codecs\nencode\np4\n(V\\u0000\xff\np5\nVlatin1\np6\ntp7\nRp8\na("
      "I1\nI2\n"
      "tp9\nas.";
  PickleMachine m("test");
  const PyValue* d = runPickle(m, p0);
  ASSERT_EQ(d->kind, PyKind::Dict);
  const PyValue* list = d->find("a");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->items.size(), 11u);
  EXPECT_EQ(list->items[0]->integer, 1);
  EXPECT_EQ(list->items[1]->real, 2.5);
  EXPECT_EQ(list->items[2]->text, "x\xc3\xa9\xe4\xb8\xad");  // UTF-8
  EXPECT_EQ(list->items[3]->kind, PyKind::None);
  EXPECT_TRUE(list->items[4]->boolean);
  EXPECT_EQ(list->items[5]->kind, PyKind::Bool);
  EXPECT_FALSE(list->items[5]->boolean);
  EXPECT_EQ(list->items[6]->kind, PyKind::BigInt);
  EXPECT_EQ(list->items[6]->text, std::string("\0\0\0\0\0\0\0\0\x40", 9));  // 2**70
  EXPECT_EQ(list->items[7]->text, std::string("\0\0\0\0\0\0\0\0\xc0", 9));  // -2**70
  EXPECT_EQ(list->items[8]->integer, -5);
  EXPECT_EQ(list->items[9]->kind, PyKind::Bytes);
  EXPECT_EQ(list->items[9]->text, std::string("\0\xff", 2));
  EXPECT_EQ(list->items[10]->kind, PyKind::Tuple);
}

TEST(PickleMachine, BigIntegersCompareEqualWhateverOpcodeWroteThem) {
  PickleMachine m("test");
  // -2**70 as LONG1 (protocol 2) and as text.
  const PyValue* binary = runPickle(m, std::string("\x80\x02\x8a\x09\0\0\0\0\0\0\0\0\xc0.", 14));
  const PyValue* text = runPickle(m, "L-1180591620717411303424L\n.");
  EXPECT_EQ(binary->text, text->text);
  const PyValue* small = runPickle(m, std::string("\x80\x02\x8a\x02\xff\x7f.", 7));
  EXPECT_EQ(small->kind, PyKind::Int);
  EXPECT_EQ(small->integer, 0x7fff);
  const PyValue* negative = runPickle(m, std::string("\x80\x02\x8a\x01\xfb.", 6));
  EXPECT_EQ(negative->integer, -5);
}

TEST(PickleMachine, LimitsAreEnforced) {
  PickleLimits limits;
  limits.maxStack = 100;
  limits.maxMemo = 10;
  limits.maxObjects = 1000;
  PickleMachine m("test", limits);
  EXPECT_NE(
      errorOf([&] { runPickle(m, "\x80\x02" + std::string(101, 'N') + "."); }).find("stack grows beyond 100"),
      std::string::npos);
  std::string memo = "\x80\x02N";
  for (int i = 0; i < 11; ++i) memo += "q" + std::string(1, static_cast<char>(i));
  EXPECT_NE(errorOf([&] { runPickle(m, memo + "."); }).find("memo grows beyond 10"), std::string::npos);
  std::string objects = "\x80\x02";
  for (int i = 0; i < 1001; ++i) objects += "N0";
  EXPECT_NE(errorOf([&] { runPickle(m, objects + "N."); }).find("more than 1000 objects"), std::string::npos);
}

}  // namespace
}  // namespace maxstate::test
