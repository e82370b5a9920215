#include <kefu/rules/keywords.hpp>
#include <kefu/rules/policy.hpp>

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

// ---- negation and exceptions (DOM-RISK-5) ---------------------------------------------------------

namespace {
using kefu::rules::hit_status;
using kefu::rules::keyword_exception;
using kefu::rules::negation_rules;

negation_rules chinese_negation() {
  negation_rules n;
  n.cues = {{"没有"}, {"没"}, {"沒有"}, {"不会"}, {"不會"}, {"不是"}, {"未"}, {"无"}, {"别"}, {"不", 1}};
  n.not_cues = {"是不是", "还没", "别逼", "不敢"};
  n.breaks = {"就", "才", "但是"};
  n.window = 4;
  return n;
}

keyword_set risk_with_negation(std::vector<keyword_exception> exceptions = {}) {
  return keyword_set("risk", {"受伤", "受傷", "曝光", "微博", "报警", "報警", "投诉你", "12315", "police", "食物中毒", "中毒"},
                     chinese_negation(), std::move(exceptions));
}

std::vector<std::string> counted(const keyword_set& k, const std::string& text) {
  std::vector<std::string> out;
  for (const auto w : k.matches(text)) out.push_back(k.words()[w]);
  return out;
}
}  // namespace

TEST(KeywordNegation, TheIssuesExamples) {
  const auto k = risk_with_negation();
  EXPECT_FALSE(k.contains_any("还好孩子没有受伤，就是包装破了"));
  EXPECT_FALSE(k.contains_any("不会去微博曝光的，放心"));  // 微博 one character after 不会, 曝光 three
  EXPECT_TRUE(k.contains_any("没有人管我就去曝光"));       // 就 ends the reach of 没有
  EXPECT_TRUE(k.contains_any("再不處理我就報警"));
  EXPECT_TRUE(k.contains_any("我已经报警了"));
}

TEST(KeywordNegation, InsideAndOutsideTheWindow) {
  const auto k = risk_with_negation();
  // window 4: at most four characters between the end of the cue and the word.
  EXPECT_FALSE(k.contains_any("没有受伤"));        // 0 between
  EXPECT_FALSE(k.contains_any("没有一个人受伤"));  // 一个人: 3
  EXPECT_FALSE(k.contains_any("没有任何一人受伤"));  // 任何一人: 4
  EXPECT_TRUE(k.contains_any("没有任何一个人受伤"));  // 任何一个人: 5
  // A cue with its own window: 不 reaches one character.
  EXPECT_FALSE(k.contains_any("我不报警了"));
  EXPECT_FALSE(k.contains_any("不去报警"));
  EXPECT_TRUE(k.contains_any("不退钱我报警"));  // 退钱我: 3 > 1
  // The cue must come before the word: after it, it negates nothing here.
  EXPECT_TRUE(k.contains_any("受伤没有？"));
}

TEST(KeywordNegation, PunctuationStopsTheScan) {
  const auto k = risk_with_negation();
  for (const char* text : {"没有，受伤了", "没有,受伤了", "没有。受伤了", "没有！受伤了", "没有!受伤了", "没有？受伤了",
                           "没有;受伤了", "没有；受伤了", "没有、受伤了", "没有：受伤了", "没有…受伤", "没有—受伤",
                           "没有~受伤", "没有～受伤", "没有\n受伤", "没有\r\n受伤", "没有.受伤", "没有 受伤", "没有　受伤",
                           "没有﹐受伤"})
    EXPECT_TRUE(k.contains_any(text)) << text;
  // Not stops: brackets and quotation marks continue the sentence (they count as characters).
  for (const char* text : {"没有“受伤”", "没有(受伤)", "没有（受伤）", "没有【受伤】", "没有「受伤」", "我没有（也不会）报警"})
    EXPECT_FALSE(k.contains_any(text)) << text;
}

TEST(KeywordNegation, BreaksAndNotCues) {
  const auto k = risk_with_negation();
  EXPECT_TRUE(k.contains_any("没人管就曝光"));            // 就 between cue and word
  EXPECT_TRUE(k.contains_any("没人管才曝光"));
  EXPECT_TRUE(k.contains_any("没有回复但是我要曝光"));
  EXPECT_TRUE(k.contains_any("是不是要我报警"));          // 不是 inside 是不是
  EXPECT_TRUE(k.contains_any("我还没报警"));              // 没 inside 还没: "not yet" keeps the threat
  EXPECT_TRUE(k.contains_any("别逼我报警"));
  EXPECT_TRUE(k.contains_any("别以为我不敢报警"));        // 不 inside 不敢; 别 is five characters away
  EXPECT_FALSE(k.contains_any("别报警"));
  EXPECT_FALSE(k.contains_any("不是要投诉你"));
}

TEST(KeywordNegation, EveryOccurrenceCounts) {
  const auto k = risk_with_negation();
  EXPECT_TRUE(k.contains_any("我没有受伤，但我女儿受伤了"));
  EXPECT_EQ(counted(k, "我没有受伤，但我女儿受伤了"), std::vector<std::string>{"受伤"});
  const auto hits = k.scan("我没有受伤，但我女儿受伤了");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].status, hit_status::negated);
  EXPECT_EQ(hits[0].by, "没有");
  EXPECT_EQ(hits[1].status, hit_status::counted);
  EXPECT_EQ(std::string("我没有受伤，但我女儿受伤了").substr(hits[1].begin, hits[1].end - hits[1].begin), "受伤");
}

TEST(KeywordNegation, OverlappingWordsAreNegatedOneByOne) {
  const auto k = risk_with_negation();
  EXPECT_FALSE(k.contains_any("没有食物中毒"));  // 食物中毒 right after 没有, 中毒 two characters after
  const auto hits = k.scan("没有食物中毒");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(k.words()[hits[0].word], "食物中毒");
  EXPECT_EQ(k.words()[hits[1].word], "中毒");
  EXPECT_EQ(hits[1].status, hit_status::negated);
}

TEST(KeywordNegation, TraditionalAndFullWidth) {
  const auto k = risk_with_negation();
  EXPECT_FALSE(k.contains_any("沒有受傷，只是嚇了一跳"));
  EXPECT_FALSE(k.contains_any("我不會去報警"));
  EXPECT_TRUE(k.contains_any("我會打１２３１５"));
  EXPECT_FALSE(k.contains_any("不会打１２３１５"));
  EXPECT_TRUE(k.contains_any("没有，打了１２３１５"));
  // Scan reports places in the original text, full-width characters included.
  const std::string text = "没有，打了１２３１５";
  const auto hits = k.scan(text);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(text.substr(hits[0].begin, hits[0].end - hits[0].begin), "１２３１５");
}

TEST(KeywordNegation, EnglishWordsCountAsOneCharacter) {
  negation_rules n;
  n.cues = {{"not"}, {"no"}, {"don't"}};
  n.window = 3;
  const keyword_set k("legal", {"lawyer", "police", "hurt"}, n, {});
  EXPECT_FALSE(k.contains_any("I do not want a lawyer"));      // want, a: 2
  EXPECT_FALSE(k.contains_any("I don't want to involve police"));  // want, to, involve: 3
  EXPECT_TRUE(k.contains_any("not going to wait, calling police"));  // the comma stops
  EXPECT_TRUE(k.contains_any("not going to wait for the police"));  // 5 words between
  EXPECT_FALSE(k.contains_any("no one got hurt"));
  EXPECT_TRUE(k.contains_any("I know the police"));  // "no" inside "know" is no cue
  EXPECT_FALSE(k.contains_any("NOT calling the POLICE"));  // letters ignore case
}

TEST(KeywordNegation, DecimalPointIsNotAStop) {
  negation_rules n;
  n.cues = {{"没有"}};
  const keyword_set k("r", {"晚会"}, n, {});
  EXPECT_FALSE(k.contains_any("没有3.15晚会"));  // 3 . 15: three characters between, no stop
  EXPECT_TRUE(k.contains_any("没有.晚会"));      // a full stop
  EXPECT_TRUE(k.contains_any("没有3.晚会"));     // a full stop after a number
}

TEST(KeywordExceptions, PhrasesAroundTheWord) {
  const keyword_set k("media", {"曝光", "抖音", "12315"}, {},
                      {{"曝光", {"自动曝光", "曝光补偿", "曝光过度"}}, {"抖音", {"抖音小店"}}, {"12315", {"12315元"}}});
  EXPECT_FALSE(k.contains_any("相机的自动曝光不准"));
  EXPECT_FALSE(k.contains_any("曝光补偿怎么调"));
  EXPECT_FALSE(k.contains_any("在抖音小店买的"));
  EXPECT_FALSE(k.contains_any("花了１２３１５元"));  // exceptions are folded too
  EXPECT_TRUE(k.contains_any("我要去抖音曝光"));
  EXPECT_TRUE(k.contains_any("自动曝光有问题，我要发抖音"));  // 抖音 counts
  const auto hits = k.scan("自动曝光");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].status, hit_status::excepted);
  EXPECT_EQ(hits[0].by, "自动曝光");
  // A phrase without the word, or for a word the set lacks, never applies.
  const keyword_set odd("media", {"曝光"}, {}, {{"曝光", {"不会"}}, {"媒体", {"多媒体"}}});
  EXPECT_TRUE(odd.contains_any("不会曝光"));
}

TEST(KeywordExceptions, TheBriefsExamplesAsExceptions) {
  const keyword_set k("anger", {"投诉", "曝光"}, {}, {{"投诉", {"不是要投诉"}}, {"曝光", {"不会曝光"}}});
  EXPECT_FALSE(k.contains_any("我不是要投诉，只是问问"));
  EXPECT_FALSE(k.contains_any("我不会曝光的"));
  EXPECT_TRUE(k.contains_any("我就是要投诉"));
}

// Properties: negation and exceptions only take hits away; contains_any, matches and scan agree.
TEST(KeywordNegation, OnlyTakesHitsAwayAndTheThreeQuestionsAgree) {
  const std::vector<std::string> words = {"投诉", "投诉你", "诉", "ab", "b", "退款", "款到", "曝光"};
  const keyword_set plain("s", words);
  negation_rules n;
  n.cues = {{"没"}, {"不会"}, {"no"}, {"不", 1}};
  n.not_cues = {"还没"};
  n.breaks = {"就"};
  n.window = 2;
  const keyword_set negated("s", words, n, {{"曝光", {"自动曝光"}}, {"诉", {"投诉"}}});
  const std::vector<std::string> pieces = {"投", "诉", "你", "a", "b", "退", "款", "到", "Ａ", "Ｂ", "，", "没", "不", "会",
                                           "就", "还", " ", "no", "曝光", "自动", "。", "1", "."};
  std::mt19937 rng(5);
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (int k = static_cast<int>(rng() % 12); k > 0; --k) text += pieces[rng() % pieces.size()];
    const auto all = plain.matches(text);
    const auto some = negated.matches(text);
    for (const auto w : some) ASSERT_NE(std::find(all.begin(), all.end(), w), all.end()) << text;
    ASSERT_EQ(negated.contains_any(text), !some.empty()) << text;
    ASSERT_EQ(plain.contains_any(text), !all.empty()) << text;
    std::size_t counted_hits = 0;
    for (const auto& h : negated.scan(text)) {
      ASSERT_LE(h.begin, h.end);
      ASSERT_LE(h.end, text.size());
      ASSERT_EQ(kefu::rules::detail::fold(text.substr(h.begin, h.end - h.begin)), kefu::rules::detail::fold(words[h.word])) << text;
      counted_hits += h.status == hit_status::counted;
    }
    ASSERT_EQ(counted_hits > 0, !some.empty()) << text;
  }
}

// ---- negation in the policy format (docs/rules.md) --------------------------------------------------

namespace {
const char* negation_policy = R"(policy: risk-words
hit_policy: collect
inputs:
  text: text
negation:
  cues: [没有, 不会, {cue: 不, window: 1}]
  not_cues: [是不是]
  breaks: [就]
  window: 4
keywords:
  safety: [受伤, 中毒]
  media:
    words: [曝光, 微博]
    exceptions: {曝光: [自动曝光]}
  anger:
    words: [不解决]
    negation: false
  police:
    words: [报警]
    negation: {window: 0}
outputs:
  level: {type: enum, values: [normal, high]}
rules:
  - id: SAFETY
    when: contains_any(text, safety)
    then: {level: high}
  - id: MEDIA
    when: contains_any(text, media)
    then: {level: high}
  - id: ANGER
    when: contains_any(text, anger)
    then: {level: high}
  - id: POLICE
    when: contains_any(text, police)
    then: {level: high}
default: {level: normal}
)";

std::vector<std::string> fired(const kefu::rules::policy& p, const std::string& text) {
  auto r = p.make_record();
  p.set(r, p.slot("text"), text);
  std::vector<std::string> out;
  for (const auto m : p.evaluate(r).matched) out.push_back(p.rules()[m].id);
  return out;
}

std::vector<std::string> rendered_warnings(const std::string& yaml) {
  const auto p = kefu::rules::load_policy_string(yaml, "risk.yaml");
  std::vector<std::string> out;
  for (const auto& w : p->warnings()) out.push_back(kefu::error::render(w.message, w.where, w.rule_id) + " [" + w.check + "]");
  return out;
}

std::string load_error(const std::string& yaml) {
  try {
    kefu::rules::load_policy_string(yaml, "risk.yaml");
  } catch (const kefu::error& e) {
    return e.what();
  }
  return "(loaded)";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}
}  // namespace

TEST(KeywordNegationPolicy, PolicyNegationAppliesToEverySetUnlessTheSetSaysOtherwise) {
  const auto p = kefu::rules::load_policy_string(negation_policy, "risk.yaml");
  EXPECT_TRUE(p->warnings().empty());
  EXPECT_EQ(fired(*p, "还好没有受伤"), std::vector<std::string>{});
  EXPECT_EQ(fired(*p, "不会去微博曝光的"), std::vector<std::string>{});
  EXPECT_EQ(fired(*p, "没有人管我就去曝光"), std::vector<std::string>{"MEDIA"});
  EXPECT_EQ(fired(*p, "相机自动曝光不准"), std::vector<std::string>{});
  EXPECT_EQ(fired(*p, "没有不解决"), std::vector<std::string>{"ANGER"});  // anger: negation: false
  // police: the policy's cues with window 0 — only a cue right before the word negates it.
  EXPECT_EQ(fired(*p, "没有报警"), std::vector<std::string>{});
  EXPECT_EQ(fired(*p, "没有去报警"), std::vector<std::string>{"POLICE"});
  EXPECT_EQ(fired(*p, "没有去曝光"), std::vector<std::string>{});  // media keeps window 4
  const auto& police = p->keyword_sets()[3];
  EXPECT_EQ(police.negation().window, 0);
  EXPECT_EQ(police.negation().cues.size(), 3u);
  EXPECT_TRUE(p->keyword_sets()[2].negation().empty());
}

TEST(KeywordNegationPolicy, ExplanationsSayWhichWordsDoNotCountAndWhy) {
  const auto p = kefu::rules::load_policy_string(negation_policy, "risk.yaml");
  auto r = p->make_record();
  p->set(r, p->slot("text"), "没有受伤，自动曝光也正常，但我要发微博");
  std::vector<kefu::rules::condition_trace> trace;
  kefu::rules::decision d;
  p->evaluate(r, d, &trace);
  const std::string text = p->explain(d, &trace);
  EXPECT_NE(text.find("not counted: 受伤 (negated by 没有)"), std::string::npos) << text;
  EXPECT_NE(text.find("matched: 微博   not counted: 曝光 (inside the exception 自动曝光)"), std::string::npos) << text;
}

TEST(KeywordNegationPolicy, LintWarnsAboutCuesAndExceptionsThatCanNeverApply) {
  std::string yaml = negation_policy;
  yaml = replaced(yaml, "cues: [没有, 不会, {cue: 不, window: 1}]", "cues: [没有, 不会, {cue: 不, window: 1}, 没有，, 就不, 是不是]");
  yaml = replaced(yaml, "not_cues: [是不是]", "not_cues: [是不是, 还好]");
  yaml = replaced(yaml, "exceptions: {曝光: [自动曝光]}", "exceptions: {曝光: [自动曝光, 不会, 曝光], 媒体: [多媒体]}");
  EXPECT_EQ(rendered_warnings(yaml),
            (std::vector<std::string>{
                "risk.yaml:6:39: negation cue '没有，' contains '，', where the scan back from a keyword stops: it can never apply [negation-cue]",
                "risk.yaml:6:44: negation cue '就不' contains the break '就', which ends a cue's reach: it can never apply [negation-cue]",
                "risk.yaml:6:48: negation cue '是不是' is also listed in `not_cues`: it can never apply [negation-cue]",
                "risk.yaml:7:19: not-cue '还好' contains no negation cue, so it has nothing to cancel: it can never apply [negation-not-cue]",
                "risk.yaml:14:29: exception '不会' does not contain the word '曝光', so it can never apply [keyword-exception]",
                "risk.yaml:14:33: exception '曝光' is the word itself: '曝光' would never count (remove the word instead) [keyword-exception]",
                "risk.yaml:14:38: exception for '媒体': keyword set 'media' has no such word, so it can never apply [keyword-exception]",
            }));
}

TEST(KeywordNegationPolicy, MistakesInTheNegationBlockAreErrorsWithTheirPlace) {
  const std::string yaml = negation_policy;
  EXPECT_EQ(load_error(replaced(yaml, "  window: 4\n", "  window: 21\n")),
            "risk.yaml:9:11: `window` must be a whole number of characters from 0 to 20, not '21'");
  EXPECT_EQ(load_error(replaced(yaml, "  window: 4\n", "  windw: 4\n")),
            "risk.yaml:9:3: unknown key 'windw' in the policy's `negation` (did you mean 'window'?)");
  EXPECT_EQ(load_error(replaced(yaml, "  cues: [没有, 不会, {cue: 不, window: 1}]\n", "")),
            "risk.yaml:6:3: the policy's `negation` needs `cues:`, the words that negate a keyword written shortly after them (没有, 不会 …)");
  EXPECT_EQ(load_error(replaced(yaml, "[没有, 不会, {cue: 不, window: 1}]", "[没有, 不会, 没有]")),
            "risk.yaml:6:18: negation cue '没有' is listed twice");
  EXPECT_EQ(load_error(replaced(yaml, "{cue: 不, window: 1}", "{cue: 不, windows: 1}")),
            "risk.yaml:6:27: unknown key 'windows' in a negation cue (did you mean 'window'?)");
  EXPECT_EQ(load_error(replaced(replaced(yaml, "negation:\n  cues", "nothing:\n  cues"), "negation: false", "negation: true")),
            "risk.yaml:5:1: unknown key 'nothing' in a policy");
  std::string no_policy_negation = yaml;
  no_policy_negation.erase(no_policy_negation.find("negation:\n"), no_policy_negation.find("keywords:") - no_policy_negation.find("negation:\n"));
  EXPECT_EQ(load_error(replaced(no_policy_negation, "negation: false", "negation: true")),
            "risk.yaml:12:15: `negation: true` takes the policy's `negation:`, but the policy has none: give the cues here or there");
  EXPECT_EQ(load_error(replaced(no_policy_negation, "negation: {window: 0}", "negation: {window: 0, breaks: [就]}")),
            "risk.yaml:15:15: the `negation` of keyword set 'police' needs `cues:`, the words that negate a keyword written shortly after them (没有, 不会 …)");
  EXPECT_EQ(load_error(replaced(yaml, "words: [不解决]", "word: [不解决]")),
            "risk.yaml:16:5: unknown key 'word' in keyword set 'anger' (did you mean 'words'?)");
  EXPECT_EQ(load_error(replaced(yaml, "{曝光: [自动曝光]}", "{曝光: []}")), "risk.yaml:14:22: the exceptions of '曝光' must be a non-empty list");
}

// Any bytes at all — invalid UTF-8, lone continuation bytes, cut full-width characters — are scanned
// without reading outside the text (run under ASan by make test-sanitize), and the three questions agree.
TEST(KeywordNegation, ArbitraryBytesAreSafe) {
  const auto k = risk_with_negation({{"曝光", {"自动曝光"}}});
  std::mt19937 rng(17);
  const std::string pieces[] = {"\xEF\xBC", "\xEF", "\xBC\x91", "\x80", "\xE3\x80", "\xF0\x9F\x98", "没", "有", "受伤", "，",
                                " ", ".", "1", "a", "就", "曝光", "自动", "\xC3", "\xFF"};
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    for (int n = static_cast<int>(rng() % 10); n > 0; --n) text += pieces[rng() % (sizeof pieces / sizeof pieces[0])];
    const bool any = k.contains_any(text);
    ASSERT_EQ(any, !k.matches(text).empty()) << text;
    for (const auto& h : k.scan(text)) ASSERT_LE(h.end, text.size());
  }
}

// One scanner over several sets answers, for every set, exactly what the set's own contains_any answers:
// random texts spliced from the sets' words, negation cues, exceptions, punctuation and filler.
TEST(Keywords, AScannerOverSeveralSetsAgreesWithEachSet) {
  kefu::rules::negation_rules negation;
  negation.cues = {{"没有", -1}, {"不会", -1}, {"不", 1}};
  negation.not_cues = {"是不是"};
  negation.breaks = {"就"};
  const std::vector<keyword_set> sets = {
      keyword_set("media", {"曝光", "微博", "Weibo", "记者"}, negation, {{"曝光", {"自动曝光"}}}),
      keyword_set("regulator", {"12315", "市场监管", "消协"}),
      keyword_set("safety", {"受伤", "中毒", "住院", "过敏"}, negation, {}),
      keyword_set("anger", {"投诉", "垃圾", "骗子"}, {}, {{"投诉", {"不是要投诉"}}}),
  };
  std::vector<const keyword_set*> pointers;
  for (const auto& s : sets) pointers.push_back(&s);
  const kefu::rules::keyword_scanner scanner(pointers);
  ASSERT_EQ(scanner.size(), 4u);
  const std::vector<std::string> pieces = {"曝光", "微博", "WEIBO", "记者", "１２３１５", "12315", "4123159876", "市场监管",
                                           "消协", "受伤", "中毒", "住院", "过敏", "投诉", "垃圾", "骗子", "没有", "不会",
                                           "不", "是不是", "就", "自动曝光", "不是要投诉", "，", "。", " ", "孩子", "还好",
                                           "a", "9", "我要", "的"};
  std::mt19937 rng(11);
  int checked = 0, hits = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int parts = std::uniform_int_distribution<int>(0, 8)(rng);
    for (int k = 0; k < parts; ++k) text += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(rng)];
    std::uint64_t sure = 0, maybe = 0;
    scanner.scan(text, sure, maybe);
    for (std::size_t k = 0; k < sets.size(); ++k) {
      const bool bit = ((sure >> k) & 1) || (((maybe >> k) & 1) && sets[k].contains_in_context(text));
      ASSERT_EQ(bit, sets[k].contains_any(text)) << "set " << sets[k].name() << " on '" << text << "'";
      EXPECT_FALSE(((sure >> k) & 1) && ((maybe >> k) & 1));
      ++checked;
      hits += bit;
    }
  }
  EXPECT_EQ(checked, 80000);
  EXPECT_GT(hits, 10000);  // the texts do hit: the agreement is not only on empty answers
}

// keyword_scanner::counted (what a policy asks) agrees with each set's contains_any on texts whose folded form is
// shorter than the text — full-width letters and digits, ideographic spaces, upper case — so the occurrences it
// reads in the folded text sit elsewhere than in the text; and on cut full-width bytes that do not fold (DOM-RISK-5).
TEST(Keywords, OneFoldedTextServesEverySetOfAScanner) {
  kefu::rules::negation_rules negation;
  negation.cues = {{"没有", -1}, {"not", -1}, {"不", 1}};
  negation.not_cues = {"是不是"};
  negation.breaks = {"就"};
  const std::vector<keyword_set> sets = {
      keyword_set("media", {"曝光", "Weibo", "记者"}, negation, {{"Weibo", {"Weibo上看到"}}}),
      keyword_set("regulator", {"12315", "消协"}, {}, {{"12315", {"12315元"}}}),
      keyword_set("safety", {"受伤", "hurt"}, negation, {}),
      keyword_set("anger", {"投诉", "垃圾"}),
  };
  std::vector<const keyword_set*> pointers;
  for (const auto& s : sets) pointers.push_back(&s);
  const kefu::rules::keyword_scanner scanner(pointers);
  auto set_of = [&](std::size_t k) -> const keyword_set& { return sets[k]; };
  auto counted = [&](const std::string& text) { return scanner.counted(text, set_of); };
  // Each folds shorter than it is written; the word after it is read at its folded place.
  EXPECT_EQ(counted("ＮＯＴ　ｈｕｒｔ"), 0u);                // "not hurt": negated
  EXPECT_EQ(counted("ＷＥＩＢＯ　ＷＥＩＢＯ上看到"), 1u);     // the first Weibo counts, the second is an exception
  EXPECT_EQ(counted("ＷＥＩＢＯ上看到"), 0u);
  EXPECT_EQ(counted("退我１２３１５元"), 0u);                // inside the exception 12315元
  EXPECT_EQ(counted("打了１２３１５　没有受伤"), 2u);          // regulator; 受伤 negated
  EXPECT_EQ(counted("ＡＢＣ没有人管我就去受伤垃圾"), 12u);    // 就 ends the reach of 没有
  EXPECT_EQ(counted("12315\xEF\xBC"), 2u);                   // a cut full-width character stays as it is
  std::mt19937 rng(23);
  const std::vector<std::string> pieces = {"曝光", "ＷＥＩＢＯ", "weibo", "记者", "１２３１５", "12315", "元", "消协", "受伤",
                                           "ＨＵＲＴ", "hurt", "投诉", "垃圾", "没有", "ＮＯＴ", "not", "不", "是不是", "就", "上看到",
                                           "　", " ", "，", "ａ", "9", "\xEF\xBC", "\xE3\x80", "孩子"};
  int hits = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    for (int n = std::uniform_int_distribution<int>(0, 8)(rng); n > 0; --n)
      text += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(rng)];
    const std::uint64_t got = counted(text);
    for (std::size_t k = 0; k < sets.size(); ++k) {
      ASSERT_EQ(((got >> k) & 1) != 0, sets[k].contains_any(text)) << "set " << sets[k].name() << " on '" << text << "'";
      hits += static_cast<int>((got >> k) & 1);
    }
    ASSERT_EQ(got >> sets.size(), 0u);
  }
  EXPECT_GT(hits, 10000);  // the texts do hit
  EXPECT_EQ(kefu::rules::keyword_scanner().counted("曝光", set_of), 0u);  // no sets: nothing found
  // counted_many (columnar triage scans a block of texts four at a time) gives each text what counted gives:
  // texts of different lengths side by side, empty ones, any count (the last few one by one).
  for (std::size_t n : {0u, 1u, 3u, 4u, 7u, 64u, 301u}) {
    std::vector<std::string> texts(n);
    for (auto& text : texts)
      for (int k = std::uniform_int_distribution<int>(0, 12)(rng); k > 0; --k)
        text += pieces[std::uniform_int_distribution<std::size_t>(0, pieces.size() - 1)(rng)];
    const std::vector<std::string_view> views(texts.begin(), texts.end());
    std::vector<std::uint64_t> many(n, ~std::uint64_t{0});
    scanner.counted_many(views.data(), n, many.data(), set_of);
    for (std::size_t k = 0; k < n; ++k) ASSERT_EQ(many[k], counted(texts[k])) << "'" << texts[k] << "' of " << n;
  }
  std::vector<std::uint64_t> none(5, 7);
  const std::vector<std::string_view> five(5, "曝光");
  kefu::rules::keyword_scanner().counted_many(five.data(), 5, none.data(), set_of);
  EXPECT_EQ(none, std::vector<std::uint64_t>(5, 0));
}
