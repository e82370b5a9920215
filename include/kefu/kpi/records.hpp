// kefu — ticket records as columns, the input of every KPI (DOM-KPI-1…7).
//
// A records view borrows the caller's arrays: nothing is copied. Numeric columns may be stored as
// float64, float32, int64, int32, int16, int8 or uint8/bool (what numpy and pandas hand out), so
// Python passes its arrays without conversion. Instants are int64 counts of `instant_unit` units
// since 1970-01-01Z (1 for seconds, 1'000'000'000 for numpy datetime64[ns]); `missing_instant`
// (INT64_MIN, numpy's NaT) marks a missing instant; `instant_offset` says the instants are local times
// at a fixed UTC offset (naive datetimes) rather than UTC. In floating columns NaN marks a missing
// value. Dimension columns (agent, team, channel, category) are dictionary codes (int32, int16 or int8,
// what pandas categoricals hold) into a list of labels.
#pragma once

#include <kefu/error.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace kefu::kpi {

/// The missing instant (numpy's NaT).
constexpr std::int64_t missing_instant = std::numeric_limits<std::int64_t>::min();

/// How a numeric column stores its values.
enum class number_type : std::uint8_t { f64, f32, i64, i32, i16, i8, u8 };

inline const char* to_string(number_type t) noexcept {
  switch (t) {
    case number_type::f64: return "float64";
    case number_type::f32: return "float32";
    case number_type::i64: return "int64";
    case number_type::i32: return "int32";
    case number_type::i16: return "int16";
    case number_type::i8: return "int8";
    case number_type::u8: return "uint8";
  }
  return "?";
}

/// A borrowed numeric column; absent when `data` is null.
struct number_column {
  const void* data = nullptr;
  number_type type = number_type::f64;
  std::size_t size = 0;

  number_column() = default;
  number_column(const double* p, std::size_t n) : data(p), type(number_type::f64), size(n) {}
  number_column(const float* p, std::size_t n) : data(p), type(number_type::f32), size(n) {}
  number_column(const std::int64_t* p, std::size_t n) : data(p), type(number_type::i64), size(n) {}
  number_column(const std::int32_t* p, std::size_t n) : data(p), type(number_type::i32), size(n) {}
  number_column(const std::int16_t* p, std::size_t n) : data(p), type(number_type::i16), size(n) {}
  number_column(const std::int8_t* p, std::size_t n) : data(p), type(number_type::i8), size(n) {}
  number_column(const std::uint8_t* p, std::size_t n) : data(p), type(number_type::u8), size(n) {}
  number_column(const bool* p, std::size_t n) : data(p), type(number_type::u8), size(n) {
    static_assert(sizeof(bool) == 1, "bool columns are read as bytes");
  }
  number_column(const void* p, number_type t, std::size_t n) : data(p), type(t), size(n) {}

  bool present() const noexcept { return data != nullptr; }
  /// The value at row i; NaN when missing (floating columns only).
  double operator[](std::size_t i) const noexcept {
    switch (type) {
      case number_type::f64: return static_cast<const double*>(data)[i];
      case number_type::f32: return static_cast<const float*>(data)[i];
      case number_type::i64: return static_cast<double>(static_cast<const std::int64_t*>(data)[i]);
      case number_type::i32: return static_cast<const std::int32_t*>(data)[i];
      case number_type::i16: return static_cast<const std::int16_t*>(data)[i];
      case number_type::i8: return static_cast<const std::int8_t*>(data)[i];
      case number_type::u8: return static_cast<const std::uint8_t*>(data)[i];
    }
    return std::numeric_limits<double>::quiet_NaN();
  }
};

/// A borrowed column of instants (int64 units since 1970-01-01Z; missing_instant = missing).
struct instant_column {
  const std::int64_t* data = nullptr;
  std::size_t size = 0;
  bool present() const noexcept { return data != nullptr; }
};

/// How a label column stores its codes.
enum class code_type : std::uint8_t { i32, i16, i8 };

/// A dictionary-encoded text column: codes (negative = missing) into labels. `codes` points to
/// `size` values of `type` (int32 unless said otherwise).
struct label_column {
  const void* codes = nullptr;
  std::size_t size = 0;
  std::vector<std::string> labels;
  code_type type = code_type::i32;

  bool present() const noexcept { return codes != nullptr; }
  /// The code at row i.
  std::int32_t code(std::size_t i) const noexcept {
    switch (type) {
      case code_type::i32: return static_cast<const std::int32_t*>(codes)[i];
      case code_type::i16: return static_cast<const std::int16_t*>(codes)[i];
      case code_type::i8: return static_cast<const std::int8_t*>(codes)[i];
    }
    return -1;
  }
};

/// The grouping dimensions of DOM-KPI-7 (period is separate).
enum class dimension : std::uint8_t { agent, team, channel, category };
constexpr std::size_t dimension_count = 4;

inline const char* to_string(dimension d) noexcept {
  switch (d) {
    case dimension::agent: return "agent";
    case dimension::team: return "team";
    case dimension::channel: return "channel";
    case dimension::category: return "category";
  }
  return "?";
}

/// Ticket records as columns. Required: created_at and every dimension used for grouping (channel
/// too when targets give per-channel thresholds), handle_seconds, responses, response_seconds,
/// contacts, escalated, reopened. Optional (may be absent or hold missing values): first_response_at
/// and resolved_at (missing = not yet), csat (1–5), nps (0–10), qc_score (0–100, present = sampled by
/// QC), and the flags repurchased_30d, script_compliant, record_complete, complaint_upheld.
struct records {
  std::size_t rows = 0;
  std::int64_t instant_unit = 1;  ///< units per second of the instant columns (1 or 1e9 for ns)
  std::int64_t instant_offset = 0;  ///< seconds east of UTC of the instants' clock (0: they are UTC)

  label_column agent, team, channel, category;
  instant_column created_at, first_response_at, resolved_at;
  number_column handle_seconds, responses, response_seconds, contacts;
  number_column escalated, reopened;
  number_column csat, nps, qc_score;
  number_column repurchased_30d, script_compliant, record_complete, complaint_upheld;

  const label_column& of(dimension d) const noexcept {
    switch (d) {
      case dimension::agent: return agent;
      case dimension::team: return team;
      case dimension::channel: return channel;
      case dimension::category: return category;
    }
    return agent;
  }
};

/// Rows [from, to) of the records: the same columns, pointers moved (nothing is copied).
inline records slice(const records& r, std::size_t from, std::size_t to) {
  records out = r;
  out.rows = to - from;
  const auto num = [&](number_column& c) {
    if (!c.present()) return;
    static constexpr std::size_t width[] = {8, 4, 8, 4, 2, 1, 1};  // in number_type order
    c.data = static_cast<const char*>(c.data) + from * width[static_cast<std::size_t>(c.type)];
    c.size = to - from;
  };
  const auto lab = [&](label_column& c) {
    if (!c.present()) return;
    static constexpr std::size_t width[] = {4, 2, 1};  // in code_type order
    c.codes = static_cast<const char*>(c.codes) + from * width[static_cast<std::size_t>(c.type)];
    c.size = to - from;
  };
  const auto inst = [&](instant_column& c) {
    if (!c.present()) return;
    c.data += from;
    c.size = to - from;
  };
  lab(out.agent), lab(out.team), lab(out.channel), lab(out.category);
  inst(out.created_at), inst(out.first_response_at), inst(out.resolved_at);
  for (number_column* c : {&out.handle_seconds, &out.responses, &out.response_seconds, &out.contacts, &out.escalated,
                           &out.reopened, &out.csat, &out.nps, &out.qc_score, &out.repurchased_30d,
                           &out.script_compliant, &out.record_complete, &out.complaint_upheld})
    num(*c);
  return out;
}

/// An error about one column of the records (names the column; `row` is 0-based, -1 for the column
/// as a whole). Derives from kefu::error so one handler catches all of kefu's errors.
class column_error : public error {
 public:
  column_error(std::string column, std::int64_t row, const std::string& what)
      : error(render(column, row, what), {}, {}, "kefu.kpi.column"), column_(std::move(column)), row_(row) {}
  const std::string& column() const noexcept { return column_; }
  std::int64_t row() const noexcept { return row_; }

 private:
  static std::string render(const std::string& column, std::int64_t row, const std::string& what) {
    return "column '" + column + "'" + (row >= 0 ? ", row " + std::to_string(row) : std::string()) + ": " + what;
  }
  std::string column_;
  std::int64_t row_ = -1;
};

namespace detail {

inline std::string format_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  std::string s = std::to_string(v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

inline void check_size(const char* name, std::size_t size, std::size_t rows) {
  if (size != rows)
    throw column_error(name, -1, "has " + std::to_string(size) + " rows, the records have " + std::to_string(rows));
}
inline void check_required(const char* name, bool present) {
  if (!present) throw column_error(name, -1, "is required but missing");
}

}  // namespace detail

/// Checks that every present column has `rows` values and that required columns are there.
inline void check_shape(const records& r, bool need_channel) {
  using detail::check_required;
  using detail::check_size;
  check_required("created_at", r.created_at.present());
  check_required("handle_seconds", r.handle_seconds.present());
  check_required("responses", r.responses.present());
  check_required("response_seconds", r.response_seconds.present());
  check_required("contacts", r.contacts.present());
  check_required("escalated", r.escalated.present());
  check_required("reopened", r.reopened.present());
  if (need_channel) check_required("channel", r.channel.present());
  if (r.instant_unit <= 0) throw error("records: instant_unit must be positive");
  const auto inst = [&](const char* n, const instant_column& c) {
    if (c.present()) check_size(n, c.size, r.rows);
  };
  const auto num = [&](const char* n, const number_column& c) {
    if (c.present()) check_size(n, c.size, r.rows);
  };
  const auto lab = [&](const char* n, const label_column& c) {
    if (c.present()) check_size(n, c.size, r.rows);
  };
  lab("agent", r.agent), lab("team", r.team), lab("channel", r.channel), lab("category", r.category);
  inst("created_at", r.created_at), inst("first_response_at", r.first_response_at), inst("resolved_at", r.resolved_at);
  num("handle_seconds", r.handle_seconds), num("responses", r.responses), num("response_seconds", r.response_seconds);
  num("contacts", r.contacts), num("escalated", r.escalated), num("reopened", r.reopened);
  num("csat", r.csat), num("nps", r.nps), num("qc_score", r.qc_score);
  num("repurchased_30d", r.repurchased_30d), num("script_compliant", r.script_compliant);
  num("record_complete", r.record_complete), num("complaint_upheld", r.complaint_upheld);
}

}  // namespace kefu::kpi
