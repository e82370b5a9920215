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
    for (std::size_t w = 0; w < words.size(); ++w) {
      const auto at = folded.find(words[w]);
      if (at != std::string::npos) first.emplace_back(at + words[w].size(), w);
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
