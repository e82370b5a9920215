// State Council holiday notices (DOM-SLA-9): every text feature with exact days, exact errors, amendments.
#include <kefu/calendar/notice.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using kefu::calendar::holiday_notice;
using kefu::calendar::notice_festival;
using namespace kefu_test;

namespace {

std::vector<std::int64_t> days(std::initializer_list<const char*> texts) {
  std::vector<std::int64_t> out;
  for (const char* t : texts) out.push_back(day(t));
  return out;
}

const notice_festival& festival(const holiday_notice& n, const std::string& name) {
  for (const auto& f : n.festivals())
    if (f.name == name) return f;
  throw std::runtime_error("no festival " + name);
}

std::string read(const std::string& name) {
  std::ifstream in(std::string(KEFU_TEST_DATA_DIR) + "/notices/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// 国办发明电〔2025〕7号 as gov.cn prints it: full-width punctuation, weekdays and lunar dates in parentheses.
const char* const notice_2026 = R"(国务院办公厅关于2026年部分节假日安排的通知
国办发明电〔2025〕7号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
　　经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
　　一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
　　二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
　　三、清明节：4月4日（周六）至6日（周一）放假，共3天。
　　四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
　　五、端午节：6月19日（周五）至21日（周日）放假，共3天。
　　六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
　　七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
　　鼓励单位和个人结合落实带薪年休假等制度，实际形成较长假期，推动错峰出行。节假日期间，各地区、各部门要妥善安排好值班和安全、保卫、疫情防控等工作，遇有重大突发事件，要按规定及时报告并妥善处置，确保人民群众祥和平安度过节日假期。

国务院办公厅
2025年11月4日
)";

// A short notice for the error tests: line 3 is the item the tests break.
std::string short_notice(const std::string& item) {
  return "国务院办公厅关于2026年部分节假日安排的通知\n\n" + item + "\n七、国庆节：10月1日至7日放假调休，共7天。\n";
}

}  // namespace

TEST(Notice, ReadsAYearlyNotice) {
  const auto n = holiday_notice::parse(notice_2026);
  EXPECT_EQ(n.year(), 2026);
  EXPECT_FALSE(n.is_amendment());
  EXPECT_EQ(n.title(), "国务院办公厅关于2026年部分节假日安排的通知");
  ASSERT_EQ(n.festivals().size(), 7u);
  EXPECT_EQ(n.festivals()[0].name, "元旦");
  EXPECT_EQ(n.festivals()[0].days_off, days({"2026-01-01", "2026-01-02", "2026-01-03"}));
  EXPECT_EQ(n.festivals()[0].working_days, days({"2026-01-04"}));
  EXPECT_EQ(n.festivals()[0].where.line, 6);
  const auto& spring = festival(n, "春节");
  EXPECT_EQ(spring.days_off.front(), day("2026-02-15"));
  EXPECT_EQ(spring.days_off.back(), day("2026-02-23"));
  EXPECT_EQ(spring.days_off.size(), 9u);
  EXPECT_EQ(spring.working_days, days({"2026-02-14", "2026-02-28"}));
  EXPECT_EQ(festival(n, "国庆节").working_days, days({"2026-09-20", "2026-10-10"}));
  EXPECT_EQ(n.days_off().size(), 3u + 9 + 3 + 5 + 3 + 3 + 7);
  EXPECT_EQ(n.working_days(), days({"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}));
}

TEST(Notice, RangesAcrossTheYearAndMakeUpDaysWithTheirOwnYear) {
  const auto n = holiday_notice::parse(
      "国务院办公厅关于2019年部分节假日安排的通知\n"
      "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。\n");
  EXPECT_EQ(n.year(), 2019);
  EXPECT_EQ(n.days_off(), days({"2018-12-30", "2018-12-31", "2019-01-01"}));
  EXPECT_EQ(n.working_days(), days({"2018-12-29"}));
  // The 2006 notice writes the December days of 元旦 without a year: they are the year before.
  const auto old = holiday_notice::parse(
      "国务院办公厅关于2006年部分节假日安排的通知\n"
      "一、元旦：1月1日—3日放假，共3天。其中1月1日为法定假日，将12月31日（星期六）、1月1日（星期日）两个公休日调至1月2日"
      "（星期一）、3日（星期二），12月31日（星期六）上班。\n");
  EXPECT_EQ(old.days_off(), days({"2006-01-01", "2006-01-02", "2006-01-03"}));
  EXPECT_EQ(old.working_days(), days({"2005-12-31"}));
}

TEST(Notice, DaysOffWordings) {
  const auto n = holiday_notice::parse(
      "国务院办公厅关于2025年部分节假日安排的通知\n"
      "一、元旦：1月1日（周三）放假1天，不调休。\n"
      "二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。\n"
      "三、清明节：4月4日（周五）至6日（周日）放假，共3天。\n");
  EXPECT_EQ(festival(n, "元旦").days_off, days({"2025-01-01"}));
  EXPECT_TRUE(festival(n, "元旦").working_days.empty());
  EXPECT_EQ(festival(n, "春节").days_off.size(), 8u);
  EXPECT_EQ(festival(n, "春节").working_days, days({"2025-01-26", "2025-02-08"}));
  EXPECT_EQ(festival(n, "清明节").days_off, days({"2025-04-04", "2025-04-05", "2025-04-06"}));

  // 与周末连休 adds no days; 补休 is a day off, and the weekend between it and the holiday is too.
  const auto m = holiday_notice::parse(
      "国务院办公厅关于2014年部分节假日安排的通知\n"
      "一、元旦：1月1日放假1天。\n"
      "三、清明节：4月5日放假，4月7日（星期一）补休。\n"
      "五、端午节：6月2日放假，与周末连休。\n");
  EXPECT_EQ(festival(m, "清明节").days_off, days({"2014-04-05", "2014-04-06", "2014-04-07"}));
  EXPECT_EQ(festival(m, "端午节").days_off, days({"2014-06-02"}));
}

TEST(Notice, MergedFestivalsAndSeveralMakeUpDays) {
  const auto n = holiday_notice::parse(
      "国务院办公厅关于2017年部分节假日安排的通知\n"
      "六、中秋节、国庆节：10月1日至8日放假调休，共8天。9月30日（星期六）上班。\n");
  ASSERT_EQ(n.festivals().size(), 1u);
  EXPECT_EQ(n.festivals()[0].name, "国庆节、中秋节");  // the calendar's order, whichever the notice uses
  EXPECT_EQ(n.festivals()[0].days_off.size(), 8u);
  EXPECT_EQ(n.festivals()[0].working_days, days({"2017-09-30"}));
  // The second make-up day omits its month: it is the month of the one before.
  const auto m = holiday_notice::parse(
      "国务院办公厅关于2015年部分节假日安排的通知\n"
      "二、春节：2月18日至24日放假调休，共7天。2月15日（星期日）、28日（星期六）上班。\n");
  EXPECT_EQ(m.working_days(), days({"2015-02-15", "2015-02-28"}));
}

TEST(Notice, OldWordingOf2004To2009) {
  // 2007: “五一”, ranges with —, 其中…为法定假日, 将…公休日分别调至…, 照常公休, bare days of the holiday's month.
  const auto n = holiday_notice::parse(
      "国务院办公厅关于2007年部分节假日安排的通知\n"
      "二、春节：2月18日—24日（即农历大年初一至初七）放假，共7天。其中18日、19日、20日为法定假日，将17日（星期六）、18日"
      "（星期日）、25日（星期日）三个公休日分别调至21日（星期三）、22日（星期四）、23日（星期五）；24日（星期六）照常公休，17日、"
      "25日上班。\n"
      "三、“五一”：5月1日—7日放假，共7天。\n");
  EXPECT_EQ(festival(n, "春节").days_off.size(), 7u);
  EXPECT_EQ(festival(n, "春节").working_days, days({"2007-02-17", "2007-02-25"}));
  EXPECT_EQ(festival(n, "劳动节").days_off.front(), day("2007-05-01"));
  // 2008: a weekend whose rest moves into the holiday is worked even where the text does not say 上班.
  const auto m = holiday_notice::parse(
      "国务院办公厅关于2008年部分节假日安排的通知\n"
      "七、国庆节：9月29日—10月5日放假，共7天。\n"
      "其中，10月1日、2日、3日为法定节假日，9月27日（星期六）、9月28日（星期日）两个公休日调至9月29日（星期一）、30日（星期二），"
      "10月4日（星期六）、5日（星期日）照常公休。\n");
  EXPECT_EQ(m.working_days(), days({"2008-09-27", "2008-09-28"}));
  // A sentence wrapped over two lines is one sentence.
  const auto w = holiday_notice::parse(
      "国务院办公厅关于2005年部分节假日安排的通知\n"
      "二、春节：2月9日～15日(农历大年初一至初七)放假，共7天。其中，9日、10日、11日为法定假日，\n"
      "2月12日(星期六)、13日(星期日)照常公休，将2月5日(星期六)、6日(星期日)两个公休日调至2月14日(星期一)、15日(星期二)，\n"
      "2月5日、6日上班。\n");
  EXPECT_EQ(w.working_days(), days({"2005-02-05", "2005-02-06"}));
}

TEST(Notice, TraditionalFullWidthTextReadsLikeTheSimplifiedOne) {
  const std::string simplified = read("2016.txt");
  const std::string traditional =
      "國務院辦公廳關於２０１６年\n部分節假日安排的通知\n國辦發明電〔２０１５〕１８號\n\n"
      "各省、自治區、直轄市人民政府，國務院各部委、各直屬機構：\n"
      "　　經國務院批準，現將２０１６年元旦、春節、清明節、勞動節、端午節、中秋節和國慶節放假調休日期的具體安排通知如下。\n"
      "　　一、元旦：１月１日放假，與週末連休。\n"
      "　　二、春節：２月７日至１３日放假調休，共７天。２月６日（星期六）、２月１４日（星期日）上班。\n"
      "　　三、清明節：４月４日放假，與週末連休。\n"
      "　　四、勞動節：５月１日放假，５月２日（星期一）補休。\n"
      "　　五、端午節：６月９日至１１日放假調休，共３天。６月１２日（星期日）上班。\n"
      "　　六、中秋節：９月１５日至１７日放假調休，共３天。９月１８日（星期日）上班。\n"
      "　　七、國慶節：１０月１日至７日放假調休，共７天。１０月８日（星期六）、１０月９日（星期日）上班。\n"
      "　　節假日期間，各地區、各部門要妥善安排好值班和安全、保衛等工作，遇有重大突發事件，要按規定及時報告並妥善處置，"
      "確保人民群眾祥和平安度過節日假期。\n\n"
      "國務院辦公廳\n２０１５年１２月１０日\n";
  const auto a = holiday_notice::parse(simplified), b = holiday_notice::parse(traditional);
  EXPECT_EQ(a.title(), "国务院办公厅关于2016年部分节假日安排的通知");
  EXPECT_EQ(b.title(), a.title());
  EXPECT_EQ(b.year(), 2016);
  ASSERT_EQ(b.festivals().size(), a.festivals().size());
  for (std::size_t i = 0; i < a.festivals().size(); ++i) {
    EXPECT_EQ(b.festivals()[i].name, a.festivals()[i].name);
    EXPECT_EQ(b.festivals()[i].days_off, a.festivals()[i].days_off) << a.festivals()[i].name;
    EXPECT_EQ(b.festivals()[i].working_days, a.festivals()[i].working_days) << a.festivals()[i].name;
  }
  EXPECT_EQ(b.to_yaml(), a.to_yaml());
}

TEST(Notice, Amendments) {
  const auto y2019 = holiday_notice::parse(read("2019.txt"), nullptr, "2019.txt");
  EXPECT_EQ(festival(y2019, "劳动节").days_off, days({"2019-05-01"}));
  const std::string labour = read("2019-labour-day-amendment.txt");
  const auto amended = holiday_notice::parse(labour, &y2019, "2019-labour-day-amendment.txt");
  EXPECT_TRUE(amended.is_amendment());
  EXPECT_EQ(amended.title(), "国务院办公厅关于调整2019年劳动节假期安排的通知");
  EXPECT_EQ(festival(amended, "劳动节").days_off, days({"2019-05-01", "2019-05-02", "2019-05-03", "2019-05-04"}));
  EXPECT_EQ(festival(amended, "劳动节").working_days, days({"2019-04-28", "2019-05-05"}));
  EXPECT_EQ(festival(amended, "春节").days_off, festival(y2019, "春节").days_off);  // the rest of the year stays
  EXPECT_EQ(amended.festivals().size(), 7u);
  // On its own, an amendment states its year and its festival.
  const auto alone = holiday_notice::parse(labour);
  EXPECT_TRUE(alone.is_amendment());
  EXPECT_EQ(alone.year(), 2019);
  ASSERT_EQ(alone.festivals().size(), 1u);
  EXPECT_EQ(alone.festivals()[0].name, "劳动节");
  EXPECT_EQ(alone.festivals()[0].days_off.size(), 4u);
  // Applying it again (notices_to_yaml does) changes nothing.
  EXPECT_EQ(holiday_notice::amend(amended, alone).days_off(), amended.days_off());
  EXPECT_EQ(holiday_notice::amend(y2019, alone).working_days(), amended.working_days());

  // 2020: the extension to 2月2日 makes 1月31日–2月2日 days off, and 2月1日 is no longer worked.
  const auto y2020 = holiday_notice::parse(read("2020.txt"));
  EXPECT_EQ(festival(y2020, "春节").working_days, days({"2020-01-19", "2020-02-01"}));
  const auto extended = holiday_notice::parse(read("2020-spring-festival-extension.txt"), &y2020);
  const auto& spring = festival(extended, "春节");
  EXPECT_EQ(spring.days_off.front(), day("2020-01-24"));
  EXPECT_EQ(spring.days_off.back(), day("2020-02-02"));
  EXPECT_EQ(spring.days_off.size(), 10u);
  EXPECT_EQ(spring.working_days, days({"2020-01-19"}));
  const auto wd = extended.working_days();
  EXPECT_EQ(std::count(wd.begin(), wd.end(), day("2020-02-01")), 0);

  // 2015: Victory Day adds a festival named by the title.
  const auto y2015 = holiday_notice::parse(read("2015.txt"));
  const auto victory = holiday_notice::parse(read("2015-victory-day.txt"), &y2015);
  const auto& v = festival(victory, "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日");
  EXPECT_EQ(v.days_off, days({"2015-09-03", "2015-09-04", "2015-09-05"}));
  EXPECT_EQ(v.working_days, days({"2015-09-06"}));
  EXPECT_EQ(victory.festivals().size(), y2015.festivals().size() + 1);
}

TEST(Notice, Errors) {
  auto message = [](const std::string& text, const holiday_notice* base = nullptr) {
    return error_of([&] { holiday_notice::parse(text, base, "n.txt"); });
  };
  // A holiday sentence the parser does not understand: named by line and column, and quoted.
  EXPECT_EQ(message(short_notice("五、端午节：6月19日至21日放加，共3天。")),
            "n.txt:3:7: cannot read '6月19日至21日放加' (expected dates with 放假, 补休 or 上班, e.g. 5月1日至5日放假调休)");
  EXPECT_EQ(message(short_notice("五、端五节：6月19日至21日放假，共3天。")),
            "n.txt:3:3: unknown festival '端五节' (did you mean '端午节'?) (expected 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节)");
  EXPECT_EQ(message(short_notice("五、端午节放假三天。")),
            "n.txt:3:3: cannot read '端午节放假三天': it names a festival but no dates (expected e.g. 5月1日至5日放假调休，共5天)");
  EXPECT_EQ(message(short_notice("一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月5日（星期日）上班。")),
            "n.txt:3:35: 1月5日 is a Monday, the notice says 星期日");
  EXPECT_EQ(message(short_notice("二、春节：2月30日放假。")), "n.txt:3:6: 2月30日 does not exist (2026年2月 has 28 days)");
  EXPECT_EQ(message(short_notice("四、劳动节：5月5日至1日放假调休。")),
            "n.txt:3:7: the range 5月5日至1日 ends before it starts");
  EXPECT_EQ(message(short_notice("二、春节：2月15日至23日放假调休，共9天。2月16日（周一）上班。")),
            "n.txt:3:24: 2月16日 is both a day off (春节, line 3) and a make-up working day (春节, line 3)");
  // Found by fuzz_notice: a weekend day worked for two festivals (its overlay would not load).
  EXPECT_EQ(message("国务院办公厅关于2026年部分节假日安排的通知\n\n四、劳动节：5月1日至5日放假调休，共5天。5月9日（周六）上班。\n"
                    "五、端午节：6月19日至21日放假，共3天。5月9日（周六）上班。\n"),
            "n.txt:4:23: 5月9日 is a make-up working day of both 劳动节 (line 3) and 端午节 (line 4)");
  EXPECT_EQ(message(short_notice("二、春节：2月15日至23日放假调休，共8天。")),
            "n.txt:3:20: the notice says '共8天' but gives 9 days off (2月15日至2月23日)");
  EXPECT_EQ(message(""), "n.txt:1: the notice is empty (paste the text of the State Council notice)");
  EXPECT_EQ(message("\n  \n\n"), "n.txt:1: the notice is empty (paste the text of the State Council notice)");
  EXPECT_EQ(message("一、元旦：1月1日放假。\n"),
            "n.txt:1:6: the notice names no year (paste it with its title, e.g. 国务院办公厅关于2027年部分节假日安排的通知)");
  EXPECT_EQ(message("国务院办公厅关于2026年部分节假日安排的通知\n\n国务院办公厅\n2025年11月4日\n"),
            "n.txt:1: the notice arranges no holidays (expected items such as 一、元旦：1月1日放假)");
  EXPECT_EQ(message(short_notice("二、春节：2月15日至23日放假调休。") + "二、春节：2月15日放假。\n"),
            "n.txt:5:3: 春节 is given twice (lines 3 and 5)");
  EXPECT_EQ(message(std::string(2u << 20, 'x')),
            "n.txt: the notice is 2097152 bytes long; a notice is at most 1 MB (1048576 bytes): paste the notice alone");
  EXPECT_EQ(message("标题\n" + std::string(20000, 'x')),
            "n.txt:2: the line is 20000 bytes long; lines are at most 10000 bytes (is this the text of a notice?)");
  EXPECT_EQ(message("\xff\xfe"), "n.txt:1: the line is not UTF-8 text (save the notice as UTF-8)");
  // A yearly notice is not an amendment of another one.
  const auto y2026 = holiday_notice::parse(notice_2026);
  EXPECT_EQ(message(notice_2026, &y2026), "n.txt:1: this is a yearly notice, not an amendment: parse it without a base");
}

TEST(Notice, PreambleAndSignatureAreIgnoredButNotHolidaySentences) {
  // 2025's preamble names festivals and dates; it is the approval paragraph, so it is skipped.
  const auto n = holiday_notice::parse(read("2025.txt"));
  EXPECT_EQ(n.festivals().size(), 6u);
  // 2024 encourages a day off on 除夕 (2月9日) without making it one.
  const auto m = holiday_notice::parse(read("2024.txt"));
  const auto off = m.days_off();
  EXPECT_EQ(std::count(off.begin(), off.end(), day("2024-02-09")), 0);
  // The same dates outside the preamble are a holiday sentence and must read.
  EXPECT_EQ(error_of([] {
              holiday_notice::parse(short_notice("自2025年1月1日起，全体公民放假的假日增加2天。"), nullptr, "n.txt");
            }),
            "n.txt:3:1: cannot read '自2025年1月1日起' (expected dates with 放假, 补休 or 上班, e.g. 5月1日至5日放假调休)");
}

TEST(Notice, Yaml) {
  const auto n = holiday_notice::parse(
      "国务院办公厅关于2027年部分节假日安排的通知\n"
      "一、元旦：1月1日至3日放假，共3天。\n"
      "二、春节：2月5日至11日放假调休，共7天。2月14日（星期日）上班。\n");
  EXPECT_EQ(n.to_yaml(),
            "# 国务院办公厅关于2027年部分节假日安排的通知 — calendar data made by `kefu calendar notice`\n"
            "calendar: cn-mainland\n"
            "extends: cn-mainland\n"
            "official_until: 2027-12-31\n"
            "holidays:\n"
            "  - {date: 2027-01-01, to: 2027-01-03, name: 元旦 New Year's Day}\n"
            "  - {date: 2027-02-05, to: 2027-02-11, name: 春节 Spring Festival}\n"
            "workdays:\n"
            "  - {date: 2027-02-14, name: 春节调休}\n");
  // Several notices: an amendment applies to the notice of its year; the extended range is one entry.
  const auto y2020 = holiday_notice::parse(read("2020.txt"));
  const auto ext = holiday_notice::parse(read("2020-spring-festival-extension.txt"));
  const std::string yaml = kefu::calendar::notices_to_yaml({y2020, ext});
  EXPECT_NE(yaml.find("  - {date: 2020-01-24, to: 2020-02-02, name: 春节 Spring Festival}\n"), std::string::npos) << yaml;
  EXPECT_EQ(yaml.find("2020-02-01, name"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("  - {date: 2020-10-01, to: 2020-10-08, name: 国庆节、中秋节 National Day and Mid-Autumn Festival}\n"),
            std::string::npos);
  EXPECT_EQ(yaml.substr(0, yaml.find('\n')),
            "# 国务院办公厅关于2020年部分节假日安排的通知; 国务院办公厅关于延长2020年春节假期的通知 — calendar data made by "
            "`kefu calendar notice`");
  EXPECT_EQ(kefu::calendar::festival_display_name("中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"),
            "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日");
}

// Every stored notice 2004–2026 parses (the Python round trip compares them with cn-mainland).
TEST(Notice, EveryStoredNoticeParses) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(KEFU_TEST_DATA_DIR) + "/notices")) {
    if (entry.path().extension() != ".txt") continue;
    ++files;
    const std::string name = entry.path().filename().string();
    EXPECT_NO_THROW(holiday_notice::parse(read(name), nullptr, name)) << error_of([&] { holiday_notice::parse(read(name), nullptr, name); });
  }
  EXPECT_GE(files, 13);
}
