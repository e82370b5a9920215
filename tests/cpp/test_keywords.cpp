#include <kefu/rules/keywords.hpp>

#include <gtest/gtest.h>

#include <random>

using kefu::rules::keyword_set;

TEST(Keywords, MatchesChineseInsideSentencesAndFoldsWidth) {
  const keyword_set risk("risk", {"曝光", "媒体", "12315", "律师", "Weibo", "食物中毒", "中毒"});
  EXPECT_TRUE(risk.contains_any("不给退我就去媒体曝光"));
  EXPECT_TRUE(risk.contains_any("已经打了１２３１５"));  // full-width digits
  EXPECT_TRUE(risk.contains_any("posted on WEIBO"));
  EXPECT_FALSE(risk.contains_any("媒介"));
  EXPECT_FALSE(risk.contains_any(""));
  EXPECT_EQ(risk.matches("吃了以后食物中毒，找律师"), (std::vector<std::size_t>{5, 6, 3}));
}

TEST(Keywords, AsciiWordsDoNotMatchInsideLongerNumbersOrWords) {
  const keyword_set regulator("regulator", {"12315", "消协", "weibo"});
  EXPECT_TRUE(regulator.contains_any("我已经打了12315"));
  EXPECT_TRUE(regulator.contains_any("打１２３１５投诉"));
  EXPECT_TRUE(regulator.contains_any("12315热线"));
  EXPECT_FALSE(regulator.contains_any("我的订单号是4123159876"));
  EXPECT_FALSE(regulator.contains_any("收货电话13912315678"));
  EXPECT_FALSE(regulator.contains_any("weibos"));
  EXPECT_TRUE(regulator.contains_any("发到weibo上"));
  EXPECT_EQ(regulator.matches("订单4123159876，已找消协，也打了12315"), (std::vector<std::size_t>{1, 0}));
}

// Property: agrees with a naive search on folded text.
TEST(Keywords, AgreesWithNaiveSearch) {
  const std::vector<std::string> words = {"投诉", "投诉你", "诉", "ab", "b", "退款", "款到"};
  const keyword_set set("s", words);
  const std::vector<std::string> pieces = {"投", "诉", "你", "a", "b", "退", "款", "到", "Ａ", "Ｂ", "，"};
  std::mt19937 rng(11);
  for (int i = 0; i < 5000; ++i) {
    std::string text;
    for (int k = static_cast<int>(rng() % 10); k > 0; --k) text += pieces[rng() % pieces.size()];
    const std::string folded = kefu::rules::detail::fold(text);
    std::vector<std::size_t> expected;
    std::vector<std::pair<std::size_t, std::size_t>> first;  // (end position, word) of first occurrences
    auto alnum = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'); };
    for (std::size_t w = 0; w < words.size(); ++w) {
      const std::string& word = words[w];
      for (auto at = folded.find(word); at != std::string::npos; at = folded.find(word, at + 1)) {
        const std::size_t end = at + word.size();
        // ASCII-bounded words must not continue a run of ASCII letters or digits.
        const bool ok = (at == 0 || !alnum(folded[at - 1]) || !alnum(word.front())) &&
                        (end == folded.size() || !alnum(folded[end]) || !alnum(word.back()));
        if (ok) {
          first.emplace_back(end, w);
          break;
        }
      }
    }
    std::sort(first.begin(), first.end(), [&](auto a, auto b) { return a.first != b.first ? a.first < b.first : words[a.second].size() > words[b.second].size(); });
    for (const auto& f : first) expected.push_back(f.second);
    ASSERT_EQ(set.contains_any(text), !expected.empty()) << text;
    auto got = set.matches(text);
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    ASSERT_EQ(got, expected) << text;
  }
}
