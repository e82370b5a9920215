// kefu — holiday notices, the text layer: UTF-8 ↔ code points, normalisation one code point at a time
// (full-width → ASCII, traditional → simplified, spaces and quotation marks dropped) keeping each code point's
// column, lines and spans that quote the original text, and the festivals' names. Internal to src/calendar
// (notice_parser.cpp reads notices with it, notice.cpp writes overlays).
#pragma once

#include <kefu/calendar/notice.hpp>
#include <kefu/detail/civil.hpp>
#include <kefu/detail/suggest.hpp>
#include <kefu/time.hpp>
#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <utility>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kefu::calendar::notice_text {

using text = std::u32string;
using kefu::detail::civil_from_days;
using kefu::detail::days_from_civil;
using kefu::detail::days_in_month;
using kefu::detail::iso_weekday_index;

constexpr std::size_t max_text_bytes = 1u << 20;  // 1 MB: a notice is a few kB
constexpr std::size_t max_line_bytes = 10000;
constexpr std::int64_t max_range_days = 31;
constexpr char32_t group_mark = 0xE000;  // stands for a group of dates in a clause's shape

// ---- UTF-8 ----

inline void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

inline std::string utf8(const text& t) {
  std::string out;
  for (const char32_t c : t) append_utf8(out, c);
  return out;
}

/// Strict UTF-8 (no overlong forms, no surrogates); false on the first invalid byte.
inline bool decode_utf8(std::string_view s, text& out) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    char32_t c = 0;
    if (b < 0x80) { n = 1; c = b; }
    else if ((b >> 5) == 0x6) { n = 2; c = b & 0x1F; }
    else if ((b >> 4) == 0xE) { n = 3; c = b & 0x0F; }
    else if ((b >> 3) == 0x1E) { n = 4; c = b & 0x07; }
    else return false;
    if (i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      const auto cb = static_cast<unsigned char>(s[i + k]);
      if ((cb >> 6) != 0x2) return false;
      c = (c << 6) | (cb & 0x3F);
    }
    static constexpr char32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < least[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;
    out.push_back(c);
    i += n;
  }
  return true;
}

// ---- normalisation ----

/// Traditional → simplified for the characters of the notices and their usual surroundings (pairs).
constexpr const char32_t* traditional_pairs[] = {
    U"並并佈布佔占併并來来係系個个們们傳传價价億亿儘尽優优兒儿內内別别則则剛刚劃划劉刘動动務务勝胜勞劳勢势勵励勸劝區区協协卻却參参員员問问單单嚴严國国圍围園园圖图團团",
    U"執执報报場场壓压壞坏壯壮夠够夢梦夥伙奧奥奪夺奮奋妝妆婦妇媽妈孫孙學学實实寧宁審审寫写寶宝將将專专尋寻對对導导屆届層层屬属島岛崗岗嶺岭帶带幣币幫帮幾几庫库廈厦廠厂",
    U"廢废廣广廳厅張张強强彈弹彙汇後后從从復复徵征徹彻恆恒惡恶愛爱態态慮虑慶庆憲宪應应懷怀戀恋戰战戲戏戶户掃扫採采換换揮挥損损搶抢撥拨擁拥擇择擊击擔担據据擬拟擴扩攜携",
    U"攝摄敗败敘叙敵敌數数斬斩斷断於于時时晉晋暫暂曆历曉晓書书會会東东條条業业極极構构樂乐樓楼標标樣样樸朴機机檢检權权歐欧歡欢歲岁歷历歸归殘残殺杀氣气氫氢決决沒没減减",
    U"測测湯汤準准溫温滅灭滬沪漁渔漢汉潔洁濕湿濟济濱滨瀋沈灣湾災灾為为烏乌無无煙烟熱热燈灯營营爭争爺爷牆墙狀状獎奖獨独獲获現现環环瓊琼產产甯宁畢毕畫画異异當当療疗發发",
    U"盜盗盡尽監监盤盘眾众確确碼码礎础礦矿禍祸禮礼種种稱称穀谷積积穩稳窮穷競竞筆笔節节範范築筑簡简簽签籃篮粵粤糧粮紀纪約约紅红納纳紙纸級级細细終终組组結结給给統统絲丝",
    U"經经綜综綫线維维綱纲網网緊紧緒绪線线緣缘編编練练縣县縮缩總总績绩織织繫系繼继續续罰罚罷罢義义習习聖圣聞闻聯联聲声職职聽听肅肃脅胁腦脑腳脚臉脸臘腊臨临臺台與与興兴",
    U"舉举舊旧艦舰艱艰莊庄華华萬万葉叶藍蓝藝艺藥药蘆芦蘇苏蘭兰處处虛虚號号蟲虫術术衛卫衝冲裏里補补裝装裡里製制複复襲袭見见規规視视親亲覺觉覽览觀观訂订計计訊讯討讨記记",
    U"訪访設设許许訴诉診诊評评詞词試试詩诗詳详認认語语誠诚誤误說说誰谁課课調调談谈請请論论諸诸謀谋謂谓講讲謝谢證证識识譯译議议護护讀读變变讓让豐丰負负財财貢贡貧贫貨货",
    U"責责貴贵買买費费貼贴貿贸賀贺資资賓宾賞赏賣卖賴赖購购賽赛贈赠贊赞贛赣趕赶趨趋跡迹蹤踪車车軍军軟软較较載载輔辅輕轻輪轮輸输轄辖轉转辦办辭辞農农這这連连週周進进遊游",
    U"運运過过達达遞递遠远適适遲迟遷迁選选遺遗遼辽還还邊边郵邮鄉乡鄰邻醜丑醫医釋释針针銀银銷销鋪铺鋼钢錄录錢钱錦锦錯错錶表鍵键鎖锁鎮镇鏡镜鐘钟鐵铁長长門门閉闭開开閒闲",
    U"間间閣阁閩闽閱阅闊阔關关陝陕陰阴陳陈陸陆陽阳隊队際际隨随險险隱隐隴陇隸隶雖虽雙双雜杂雞鸡離离難难雲云電电靈灵靜静韋韦韓韩頁页頂顶項项順顺須须預预頒颁頓顿領领頭头",
    U"頻频題题額额願愿類类顧顾顯显風风飛飞飯饭飲饮飽饱養养餘余館馆饑饥馬马駐驻騎骑驗验驚惊體体髮发鬥斗魯鲁鮮鲜鳥鸟鹽盐麗丽麥麦麵面麼么黃黄點点黨党齊齐齒齿齡龄龍龙",
};

inline char32_t simplified(char32_t c) {
  static const std::vector<std::pair<char32_t, char32_t>> table = [] {
    std::vector<std::pair<char32_t, char32_t>> out;
    for (const char32_t* chunk : traditional_pairs)
      for (const char32_t* p = chunk; p[0] && p[1]; p += 2) out.emplace_back(p[0], p[1]);
    std::sort(out.begin(), out.end());
    return out;
  }();
  const auto it = std::lower_bound(table.begin(), table.end(), std::make_pair(c, char32_t(0)));
  return it != table.end() && it->first == c ? it->second : c;
}

/// One code point as the parser reads it; 0 = dropped (spaces, quotation marks, zero-width marks).
inline char32_t normalise(char32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII
  switch (c) {
    case U' ': case U'\t': case U'\r': case 0xA0: case 0x3000: case 0xFEFF: case 0x200B: case 0x200C: case 0x200D:
    case U'"': case U'\'': case 0x2018: case 0x2019: case 0x201C: case 0x201D: case 0x300C: case 0x300D:
    case 0x300E: case 0x300F: case 0x301D: case 0x301E:
      return 0;
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212: case 0xFE58:
    case 0xFE63:
      return U'-';
    case 0x301C: case 0x223C:
      return U'~';
    case 0xFF61: return 0x3002;  // ｡
    case 0xFE50: return U',';
    case 0xFE51: case 0xFF64: return 0x3001;  // 、
    case 0x25CB: case 0x25EF: case 0x039F: case 0x004F: return 0x3007;  // ○ and look-alikes in 二○○九年
    default: break;
  }
  if (c >= 0x2000 && c <= 0x200A) return 0;
  return simplified(c);
}

/// A line of the notice as pasted, and normalised with each code point's 1-based column in the original.
struct raw_line {
  int number = 0;
  text original;
  text t;
  std::vector<int> col;
};

/// A paragraph: one line, or lines joined where a sentence was wrapped ("…三个公休日" / "调至1月26日…").
struct line {
  int number = 0;                 // of its first line
  std::vector<const raw_line*> rows;
  text t;                         // normalised
  std::vector<int> col;           // per code point of t: column in its line
  std::vector<int> row;           // per code point of t: index into rows
};

/// Part of a line.
struct span {
  const line* l = nullptr;
  std::size_t b = 0, e = 0;

  text str() const { return l->t.substr(b, e - b); }
  int column() const { return b < l->col.size() ? l->col[b] : 0; }
  int line_number() const { return b < l->row.size() ? l->rows[static_cast<std::size_t>(l->row[b])]->number : l->number; }
  /// The original text of the span (as pasted, before normalisation), line by line.
  std::string quote() const {
    std::string out;
    for (std::size_t i = b; i < e;) {
      const int r = l->row[i];
      std::size_t j = i;
      while (j + 1 < e && l->row[j + 1] == r) ++j;
      const std::size_t from = static_cast<std::size_t>(l->col[i] - 1), to = static_cast<std::size_t>(l->col[j]);
      out += utf8(l->rows[static_cast<std::size_t>(r)]->original.substr(from, to - from));
      i = j + 1;
    }
    return out;
  }
};

inline bool starts_with(const text& t, std::size_t pos, std::u32string_view p) {
  return t.size() >= pos + p.size() && std::u32string_view(t).substr(pos, p.size()) == p;
}
inline bool ends_with(const text& t, std::u32string_view p) {
  return t.size() >= p.size() && std::u32string_view(t).substr(t.size() - p.size()) == p;
}
inline bool contains(const text& t, std::u32string_view p) { return t.find(p) != text::npos; }
inline bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }

/// 一…九十九, 两, 〇 → value; -1 when not a Chinese number.
inline int chinese_number(std::u32string_view s) {
  static constexpr std::u32string_view digits = U"〇一二三四五六七八九";
  if (s.empty() || s.size() > 3) return -1;
  if (s == U"两") return 2;
  int value = 0, current = -1;
  for (const char32_t c : s) {
    if (c == U'十') {
      value += (current < 0 ? 1 : current) * 10;
      current = -1;
    } else if (const auto k = digits.find(c); k != std::u32string_view::npos) {
      if (current >= 0) return -1;
      current = static_cast<int>(k);
    } else {
      return -1;
    }
  }
  return value + (current < 0 ? 0 : current);
}

// ---- festivals ----

struct festival_alias {
  std::u32string_view alias;
  const char* name;
};
constexpr std::array<festival_alias, 17> festival_aliases = {{
    {U"元旦", "元旦"},
    {U"春节", "春节"},
    {U"清明节", "清明节"},
    {U"清明", "清明节"},
    {U"劳动节", "劳动节"},
    {U"国际劳动节", "劳动节"},
    {U"五一国际劳动节", "劳动节"},
    {U"五一劳动节", "劳动节"},
    {U"五一", "劳动节"},
    {U"端午节", "端午节"},
    {U"端午", "端午节"},
    {U"中秋节", "中秋节"},
    {U"中秋", "中秋节"},
    {U"国庆节", "国庆节"},
    {U"国庆", "国庆节"},
    {U"十一国庆节", "国庆节"},
    {U"十一", "国庆节"},
}};
constexpr std::array<const char*, 7> standard_festivals = {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节",
                                                            "国庆节"};
/// Words whose presence makes a sentence "about a festival" (the quoted-number aliases are too generic).
constexpr std::array<std::u32string_view, 8> festival_words = {U"元旦", U"春节", U"清明", U"劳动节",
                                                               U"五一", U"端午", U"中秋", U"国庆"};

inline const char* festival_of(std::u32string_view alias) {
  for (const auto& a : festival_aliases)
    if (a.alias == alias) return a.name;
  return nullptr;
}

/// "国庆节、中秋节" whichever order the notice gives; other lists keep the notice's order.
inline std::string join_festivals(std::vector<std::string> names) {
  names.erase(std::unique(names.begin(), names.end()), names.end());
  if (names.size() == 2 && ((names[0] == "中秋节" && names[1] == "国庆节"))) std::swap(names[0], names[1]);
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : "、") + n;
  return out;
}

inline const char* english_name(std::string_view name) {
  static constexpr std::array<std::pair<const char*, const char*>, 8> table = {{
      {"元旦", "New Year's Day"},
      {"春节", "Spring Festival"},
      {"清明节", "Qingming Festival"},
      {"劳动节", "Labour Day"},
      {"端午节", "Dragon Boat Festival"},
      {"中秋节", "Mid-Autumn Festival"},
      {"国庆节", "National Day"},
      {"国庆节、中秋节", "National Day and Mid-Autumn Festival"},
  }};
  for (const auto& [zh, en] : table)
    if (name == zh) return en;
  return nullptr;
}

inline const char* weekday_english(unsigned w) {
  static constexpr const char* names[] = {"a Monday", "a Tuesday", "a Wednesday", "a Thursday",
                                          "a Friday", "a Saturday", "a Sunday"};
  return names[w];
}

inline bool is_weekend(std::int64_t day) { return iso_weekday_index(day) >= 5; }

inline std::vector<std::int64_t> sorted_unique(std::vector<std::int64_t> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

}  // namespace kefu::calendar::notice_text
