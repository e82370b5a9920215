#include <kefu/privacy.hpp>

#include <gtest/gtest.h>

TEST(Privacy, MasksNamesByCharacterNotByte) {
  EXPECT_EQ(kefu::mask_name("王小明"), "王**");
  EXPECT_EQ(kefu::mask_name("欧阳娜娜"), "欧***");
  EXPECT_EQ(kefu::mask_name("Li Lei"), "L*****");
  EXPECT_EQ(kefu::mask_name("王"), "王");
  EXPECT_EQ(kefu::mask_name(""), "");
}

TEST(Privacy, MasksPhonesKeepingPrefixAndLastFour) {
  EXPECT_EQ(kefu::mask_phone("13812345678"), "138****5678");
  EXPECT_EQ(kefu::mask_phone("138-1234-5678"), "138****5678");
  EXPECT_EQ(kefu::mask_phone("+86 10 8888 6666"), "****6666");
  EXPECT_EQ(kefu::mask_phone("12345"), "*****");
  EXPECT_EQ(kefu::mask_address("北京市朝阳区某路1号"), "[address]");
}

TEST(Privacy, NeverLeavesAFullPhoneNumber) {
  for (long long n = 13000000000LL; n < 13000000000LL + 2000; n += 7) {
    const std::string phone = std::to_string(n);
    const std::string masked = kefu::mask_phone(phone);
    EXPECT_EQ(masked.size(), 11u);
    EXPECT_EQ(masked.substr(3, 4), "****") << phone;
  }
}

TEST(Privacy, MasksMobileNumbersInsideFreeText) {
  EXPECT_EQ(kefu::mask_text("请打13812345678联系我"), "请打138****5678联系我");
  EXPECT_EQ(kefu::mask_text("订单号668385188314"), "订单号668385188314");  // 12 digits: not a phone number
  EXPECT_EQ(kefu::mask_text("12315"), "12315");
}
