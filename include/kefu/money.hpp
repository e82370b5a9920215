// kefu — exact amounts of money in yuan, stored as integer fen (1 yuan = 100 fen).
//
// Handbook thresholds such as "over ¥1000" are exact: ¥1000.00 is not over, ¥1000.01 is. Floating
// point cannot promise that, so amounts are integers and text with more than two decimals is an
// error rather than a rounding.
#pragma once

#include <kefu/error.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace kefu {

class money {
 public:
  constexpr money() noexcept = default;
  static constexpr money from_fen(std::int64_t fen) noexcept { return money(fen); }
  /// Whole yuan; kefu::error (id kefu.money.overflow) beyond ±¥92,233,720,368,547,758.
  static constexpr money from_yuan(std::int64_t yuan) {
    std::int64_t fen = 0;
    if (__builtin_mul_overflow(yuan, std::int64_t{100}, &fen)) overflow("¥" + std::to_string(yuan) + " in fen");
    return money(fen);
  }
  constexpr std::int64_t fen() const noexcept { return fen_; }

  /// Parses "1000", "1000.5", "1000.50", "-12.30", "¥1,000.50", "￥1000", "1000元", "RMB 1000".
  /// Thousands separators must group by three. Throws parse_error on anything else, including
  /// more than two decimals ("1000.505") and amounts beyond ±92 233 720 368 547 758.07.
  static money parse(std::string_view text) {
    std::string_view t = trim(text);
    auto fail = [&](const char* why) -> money {
      throw parse_error("bad amount '" + std::string(text) + "': " + why);
    };
    bool negative = false;
    if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
      negative = t[0] == '-';
      t = trim(t.substr(1));
    }
    for (std::string_view prefix : {std::string_view("\xC2\xA5"), std::string_view("\xEF\xBF\xA5"),
                                    std::string_view("RMB"), std::string_view("CNY")})
      if (t.substr(0, prefix.size()) == prefix) {
        t = trim(t.substr(prefix.size()));
        break;
      }
    if (!t.empty() && t[0] == '-' && !negative) {  // "¥-12.30"
      negative = true;
      t = t.substr(1);
    }
    for (std::string_view suffix : {std::string_view("\xE5\x85\x83"), std::string_view("CNY")})
      if (t.size() >= suffix.size() && t.substr(t.size() - suffix.size()) == suffix) {
        t = trim(t.substr(0, t.size() - suffix.size()));
        break;
      }
    if (t.empty()) return fail("no digits");
    const std::size_t dot = t.find('.');
    const std::string_view whole = t.substr(0, dot);
    const std::string_view frac = dot == std::string_view::npos ? std::string_view() : t.substr(dot + 1);
    if (whole.empty()) return fail("no digits before the decimal point");
    if (dot != std::string_view::npos && frac.empty()) return fail("no digits after the decimal point");
    if (frac.size() > 2) return fail("more than two decimal places (amounts are exact to the fen)");
    const bool grouped = whole.find(',') != std::string_view::npos;
    constexpr std::int64_t max_fen = std::numeric_limits<std::int64_t>::max();
    std::int64_t yuan = 0;
    std::size_t digits_in_group = 0, groups = 0;
    for (std::size_t i = 0; i < whole.size(); ++i) {
      const char c = whole[i];
      if (c == ',') {
        if ((groups == 0 && (digits_in_group == 0 || digits_in_group > 3)) || (groups > 0 && digits_in_group != 3))
          return fail("thousands separators must group digits by three");
        ++groups;
        digits_in_group = 0;
        continue;
      }
      if (c < '0' || c > '9') return fail("unexpected character");
      if (yuan > (max_fen / 100 - (c - '0')) / 10) return fail("amount too large");
      yuan = yuan * 10 + (c - '0');
      ++digits_in_group;
    }
    if (grouped && digits_in_group != 3) return fail("thousands separators must group digits by three");
    std::int64_t fen = 0;
    for (std::size_t i = 0; i < 2; ++i) {
      fen *= 10;
      if (i < frac.size()) {
        if (frac[i] < '0' || frac[i] > '9') return fail("unexpected character");
        fen += frac[i] - '0';
      }
    }
    if (yuan == max_fen / 100 && fen > max_fen % 100) return fail("amount too large");
    const std::int64_t total = yuan * 100 + fen;
    return money(negative ? -total : total);
  }

  /// "1000.50", "-12.30", "0.05".
  std::string to_string() const {
    const bool negative = fen_ < 0;
    // Work in unsigned so that the most negative value does not overflow.
    const std::uint64_t a = negative ? 0 - static_cast<std::uint64_t>(fen_) : static_cast<std::uint64_t>(fen_);
    std::string frac = std::to_string(a % 100);
    if (frac.size() < 2) frac.insert(0, 1, '0');
    return (negative ? "-" : "") + std::to_string(a / 100) + "." + frac;
  }
  /// "¥1,000.50".
  std::string to_display() const {
    std::string plain = to_string();
    const bool negative = plain[0] == '-';
    std::string whole = plain.substr(negative ? 1 : 0, plain.size() - 3 - (negative ? 1 : 0));
    for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) whole.insert(static_cast<std::size_t>(i), 1, ',');
    return std::string(negative ? "-" : "") + "\xC2\xA5" + whole + plain.substr(plain.size() - 3);
  }

  // Arithmetic is checked: an amount beyond the int64 range of fen is an error (id kefu.money.overflow),
  // never a silent wrap to a negative amount.
  friend constexpr money operator+(money a, money b) {
    std::int64_t r = 0;
    if (__builtin_add_overflow(a.fen_, b.fen_, &r)) overflow(a.to_display() + " + " + b.to_display());
    return money(r);
  }
  friend constexpr money operator-(money a, money b) {
    std::int64_t r = 0;
    if (__builtin_sub_overflow(a.fen_, b.fen_, &r)) overflow(a.to_display() + " - " + b.to_display());
    return money(r);
  }
  friend constexpr money operator-(money a) {
    if (a.fen_ == std::numeric_limits<std::int64_t>::min()) overflow("-" + a.to_display());
    return money(-a.fen_);
  }
  friend constexpr money operator*(money a, std::int64_t k) {
    std::int64_t r = 0;
    if (__builtin_mul_overflow(a.fen_, k, &r)) overflow(a.to_display() + " * " + std::to_string(k));
    return money(r);
  }
  friend constexpr money operator*(std::int64_t k, money a) { return a * k; }
  constexpr money& operator+=(money b) { return *this = *this + b; }
  constexpr money& operator-=(money b) { return *this = *this - b; }
  friend constexpr bool operator==(money a, money b) noexcept { return a.fen_ == b.fen_; }
  friend constexpr bool operator!=(money a, money b) noexcept { return a.fen_ != b.fen_; }
  friend constexpr bool operator<(money a, money b) noexcept { return a.fen_ < b.fen_; }
  friend constexpr bool operator<=(money a, money b) noexcept { return a.fen_ <= b.fen_; }
  friend constexpr bool operator>(money a, money b) noexcept { return a.fen_ > b.fen_; }
  friend constexpr bool operator>=(money a, money b) noexcept { return a.fen_ >= b.fen_; }

 private:
  constexpr explicit money(std::int64_t fen) noexcept : fen_(fen) {}
  [[noreturn]] static void overflow(const std::string& what) {
    throw error("amount overflow: " + what + " is beyond ±¥92,233,720,368,547,758.07", {}, {}, "kefu.money.overflow");
  }
  static std::string_view trim(std::string_view t) noexcept {
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
    return t;
  }
  std::int64_t fen_ = 0;
};

}  // namespace kefu
