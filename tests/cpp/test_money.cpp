#include <kefu/money.hpp>

#include <gtest/gtest.h>

#include <limits>
#include <random>

using kefu::money;

TEST(Money, ParsesHandbookSpellings) {
  EXPECT_EQ(money::parse("1000").fen(), 100000);
  EXPECT_EQ(money::parse("1000.5").fen(), 100050);
  EXPECT_EQ(money::parse("1000.50").fen(), 100050);
  EXPECT_EQ(money::parse("¥1,000.50").fen(), 100050);
  EXPECT_EQ(money::parse("￥1000").fen(), 100000);
  EXPECT_EQ(money::parse("1000元").fen(), 100000);
  EXPECT_EQ(money::parse("RMB 12,345,678.09").fen(), 1234567809);
  EXPECT_EQ(money::parse(" -12.30 ").fen(), -1230);
  EXPECT_EQ(money::parse("¥-0.05").fen(), -5);
  EXPECT_EQ(money::parse("0").fen(), 0);
}

TEST(Money, RejectsInexactOrMalformedText) {
  auto message = [](const char* text) {
    try {
      money::parse(text);
    } catch (const kefu::parse_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("1000.505"), "bad amount '1000.505': more than two decimal places (amounts are exact to the fen)");
  EXPECT_EQ(message("1,00"), "bad amount '1,00': thousands separators must group digits by three");
  EXPECT_EQ(message("1000,000"), "bad amount '1000,000': thousands separators must group digits by three");
  EXPECT_EQ(message("12a"), "bad amount '12a': unexpected character");
  EXPECT_EQ(message(""), "bad amount '': no digits");
  EXPECT_EQ(message("¥"), "bad amount '¥': no digits");
  EXPECT_EQ(message("1."), "bad amount '1.': no digits after the decimal point");
  EXPECT_EQ(message(".5"), "bad amount '.5': no digits before the decimal point");
  EXPECT_EQ(message("1e3"), "bad amount '1e3': unexpected character");
  EXPECT_EQ(message("99999999999999999999"), "bad amount '99999999999999999999': amount too large");
  EXPECT_EQ(message("92233720368547758.08"), "bad amount '92233720368547758.08': amount too large");
  EXPECT_EQ(money::parse("92233720368547758.07").fen(), INT64_MAX);
}

TEST(Money, ThresholdsAreExact) {
  const money limit = money::from_yuan(1000);
  EXPECT_FALSE(money::parse("1000.00") > limit);
  EXPECT_TRUE(money::parse("1000.01") > limit);
  EXPECT_EQ(money::parse("0.1") + money::parse("0.2"), money::parse("0.30"));
}

TEST(Money, FormatsPlainAndForDisplay) {
  EXPECT_EQ(money::from_fen(100050).to_string(), "1000.50");
  EXPECT_EQ(money::from_fen(-5).to_string(), "-0.05");
  EXPECT_EQ(money::from_fen(123456789).to_display(), "¥1,234,567.89");
  EXPECT_EQ(money::from_fen(-100000).to_display(), "-¥1,000.00");
  EXPECT_EQ(money::from_fen(INT64_MIN).to_string(), "-92233720368547758.08");
}

TEST(Money, RoundTripsThroughTextForRandomAmounts) {
  std::mt19937_64 rng(20261123);
  std::uniform_int_distribution<std::int64_t> fen(-1'000'000'000'000, 1'000'000'000'000);
  for (int i = 0; i < 10000; ++i) {
    const money m = money::from_fen(fen(rng));
    ASSERT_EQ(money::parse(m.to_string()), m) << m.to_string();
    ASSERT_EQ(money::parse(m.to_display()), m) << m.to_display();
  }
}

TEST(Money, ArithmeticIsCheckedNeverWraps) {
  const kefu::money max = kefu::money::from_fen(std::numeric_limits<std::int64_t>::max());
  const kefu::money fen = kefu::money::from_fen(1);
  try {
    (void)(max + fen);
    FAIL() << "max + ¥0.01 must not wrap to a negative amount";
  } catch (const kefu::error& e) {
    EXPECT_EQ(std::string(e.what()),
              "amount overflow: ¥92,233,720,368,547,758.07 + ¥0.01 is beyond ±¥92,233,720,368,547,758.07");
    EXPECT_EQ(e.id(), "kefu.money.overflow");
  }
  EXPECT_THROW((void)(max * 2), kefu::error);
  EXPECT_THROW((void)(-max - fen - fen), kefu::error);
  EXPECT_THROW((void)(-kefu::money::from_fen(std::numeric_limits<std::int64_t>::min())), kefu::error);
  EXPECT_THROW((void)kefu::money::from_yuan(std::numeric_limits<std::int64_t>::max() / 10), kefu::error);
  kefu::money sum = max - fen;
  sum += fen;
  EXPECT_EQ(sum, max);
  EXPECT_EQ((kefu::money::from_yuan(3) * 4).fen(), 1200);
  static_assert(kefu::money::from_yuan(1000).fen() == 100000, "still usable in constant expressions");
}
