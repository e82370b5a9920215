// kefu — ticket records as columns, the input of every KPI (DOM-KPI-1…8, DOM-SLA-7's queue wait).
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
#include <string_view>
#include <type_traits>
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

/// The grouping dimensions of DOM-KPI-7 (period is separate). They are the label columns of the
/// column table below, in its order (checked there).
enum class dimension : std::uint8_t { agent, team, channel, category };
constexpr std::size_t dimension_count = 4;

constexpr const char* to_string(dimension d) noexcept {
  switch (d) {
    case dimension::agent: return "agent";
    case dimension::team: return "team";
    case dimension::channel: return "channel";
    case dimension::category: return "category";
  }
  return "?";
}

// ---------------------------------------------------------------------------------------------------
// The column table: the one list of the records' columns.
//
// Every column is one KEFU_KPI_COLUMNS entry X(name, kind, need, unit, description):
//   kind  label (dictionary codes: a grouping dimension), instant, number, flag (0/1, read as a number)
//   need  required (compute() refuses records without it), optional (absent = no data), grouping
//         (required to group by it)
//   unit  how compute() reads a number: seconds (≥ 0, kept to the millisecond; optional seconds: NaN =
//         not measured), count (whole ≥ 0),
//         score(lo, hi, whole) (in [lo, hi], whole numbers when `whole`; missing = not scored); none
// From this list come: the fields of `records`, slice(), check_shape(), the column lists of the Python
// binding (kefu._core.kpi_columns(), from which python/kefu/kpi.py takes its lists) and the layout tag of
// serialised partial tables (table.hpp); tests compare docs/kpis.md's records table with it. What a
// column adds to the KPIs (its counters and metrics) is in compute.cpp and metrics.hpp.
//
// Adding a column: its entry here; its formula (read it in src/kpi/compute.cpp with the reader its kind
// and unit call for, add to new KEFU_KPI_COUNTERS entries, and give each metric a {name, unit, formula}
// entry in metrics.hpp); a test with hand-computed values; the row and metric the docs tests ask for.
// ---------------------------------------------------------------------------------------------------
#define KEFU_KPI_COLUMNS(X)                                                                                      \
  X(agent, label, grouping, none, "the agent who handled the ticket")                                          \
  X(team, label, grouping, none, "the agent's team")                                                           \
  X(channel, label, grouping, none, "contact channel; also required when targets have per-channel thresholds") \
  X(category, label, grouping, none, "ticket category")                                                        \
  X(created_at, instant, required, none, "ticket creation; periods use its local date")                        \
  X(first_response_at, instant, optional, none, "first agent response (missing = not answered)")               \
  X(resolved_at, instant, optional, none, "resolution (missing = not resolved)")                               \
  X(handle_seconds, number, required, seconds, "handling time of the ticket")                                  \
  X(responses, number, required, count, "agent responses in the conversation")                                 \
  X(response_seconds, number, required, seconds, "total response time over those responses")                   \
  X(contacts, number, required, count, "customer contacts needed")                                             \
  X(escalated, flag, required, none, "the ticket was escalated")                                               \
  X(reopened, flag, required, none, "the ticket was reopened after resolution")                                \
  X(csat, number, optional, score(1, 5, true), "survey rating (missing = not returned)")                        \
  X(nps, number, optional, score(0, 10, true), "recommendation score (missing = not answered)")                \
  X(qc_score, number, optional, score(0, 100, false), "QC score; present = the ticket was QC-sampled")         \
  X(repurchased_30d, flag, optional, none, "the customer bought again within 30 days")                         \
  X(script_compliant, flag, optional, none, "the agent followed the service script")                           \
  X(record_complete, flag, optional, none, "the ticket record is complete")                                    \
  X(complaint_upheld, flag, optional, none, "a complaint about the ticket was upheld")                         \
  X(queue_seconds, number, optional, seconds, "the customer's wait in the queue before an agent took the contact (missing = not measured)") \
  X(standard_executed, flag, optional, none, "the ticket was handled by the applicable service standard (003 标准执行)")                     \
  X(standard_known, flag, optional, none, "the agent knew the applicable standard when QC checked (003 标准知晓)")                          \
  X(standard_resolved, flag, optional, none, "the ticket was resolved by the standard's procedure (003 标准化解决)")

/// What a column holds.
enum class column_kind : std::uint8_t { label, instant, number, flag };
/// When a column must be there.
enum class column_need : std::uint8_t { required, optional, grouping };

/// How compute() reads the values of a number column.
struct column_unit {
  enum class type : std::uint8_t { none, seconds, count, score };
  type t = type::none;
  double lo = 0, hi = 0;  ///< a score's range
  bool whole = false;     ///< a score in whole numbers
};
namespace units {
constexpr column_unit none{};
constexpr column_unit seconds{column_unit::type::seconds};
constexpr column_unit count{column_unit::type::count};
constexpr column_unit score(double lo, double hi, bool whole) { return {column_unit::type::score, lo, hi, whole}; }
}  // namespace units

/// One entry of the column table.
struct column_info {
  std::string_view name;
  column_kind kind;
  column_need need;
  column_unit unit;
  std::string_view description;
};

/// The columns, by their position in the table.
enum class column : std::uint8_t {
#define KEFU_KPI_COLUMN_ENUM(name, ...) name,
  KEFU_KPI_COLUMNS(KEFU_KPI_COLUMN_ENUM)
#undef KEFU_KPI_COLUMN_ENUM
};

/// The column table.
inline constexpr column_info columns[] = {
#define KEFU_KPI_COLUMN_INFO(name, kind, need, unit, description) \
  {#name, column_kind::kind, column_need::need, units::unit, description},
    KEFU_KPI_COLUMNS(KEFU_KPI_COLUMN_INFO)
#undef KEFU_KPI_COLUMN_INFO
};
constexpr std::size_t column_count = sizeof(columns) / sizeof(columns[0]);

constexpr const column_info& info(column c) noexcept { return columns[static_cast<std::size_t>(c)]; }
constexpr const char* to_string(column_kind k) noexcept {
  switch (k) {
    case column_kind::label: return "label";
    case column_kind::instant: return "instant";
    case column_kind::number: return "number";
    case column_kind::flag: return "flag";
  }
  return "?";
}
constexpr const char* to_string(column_need n) noexcept {
  switch (n) {
    case column_need::required: return "required";
    case column_need::optional: return "optional";
    case column_need::grouping: return "grouping";
  }
  return "?";
}

/// How many columns the table has of kind `k` (number counts flags too: both are number columns).
constexpr std::size_t columns_of_kind(column_kind k) noexcept {
  std::size_t n = 0;
  for (const auto& c : columns)
    n += c.kind == k || (k == column_kind::number && c.kind == column_kind::flag);
  return n;
}
/// The position of a column among the columns of its storage (labels, instants, numbers and flags):
/// where compute() keeps its values in per-chunk buffers.
constexpr std::size_t slot_of(column c) noexcept {
  const auto storage = [](column_kind k) { return k == column_kind::flag ? column_kind::number : k; };
  std::size_t n = 0;
  for (std::size_t k = 0; k < static_cast<std::size_t>(c); ++k) n += storage(columns[k].kind) == storage(info(c).kind);
  return n;
}

namespace detail {
constexpr bool same(std::string_view a, const char* b) noexcept { return a == std::string_view(b); }
constexpr bool label_columns_are_the_dimensions() noexcept {
  if (columns_of_kind(column_kind::label) != dimension_count) return false;
  for (std::size_t d = 0; d < dimension_count; ++d)
    if (columns[d].kind != column_kind::label || !same(columns[d].name, to_string(static_cast<dimension>(d))))
      return false;
  return true;
}
constexpr bool column_table_is_consistent() noexcept {
  for (std::size_t a = 0; a < column_count; ++a) {
    const column_info& c = columns[a];
    for (std::size_t b = 0; b < a; ++b)
      if (columns[b].name == c.name) return false;  // names are unique
    const bool number = c.kind == column_kind::number;
    if (number != (c.unit.t != column_unit::type::none)) return false;  // numbers, and only they, have a unit
    if ((c.kind == column_kind::label) != (c.need == column_need::grouping)) return false;  // labels group
    if (c.unit.t == column_unit::type::score && !(c.unit.lo < c.unit.hi)) return false;
  }
  return true;
}
}  // namespace detail
static_assert(detail::label_columns_are_the_dimensions(),
              "the label columns of KEFU_KPI_COLUMNS are the dimensions, in the order of enum dimension");
static_assert(detail::column_table_is_consistent(),
              "KEFU_KPI_COLUMNS: unique names; a unit for number columns only; labels are the grouping columns");

template <column_kind K>
struct column_storage {
  using type = number_column;  // numbers and flags
};
template <>
struct column_storage<column_kind::label> {
  using type = label_column;
};
template <>
struct column_storage<column_kind::instant> {
  using type = instant_column;
};

/// Ticket records as columns: one field per entry of the column table (agent, team, channel, category,
/// created_at, …, complaint_upheld), plus the row count and the instants' unit and clock.
struct records {
  std::size_t rows = 0;
  std::int64_t instant_unit = 1;  ///< units per second of the instant columns (1 or 1e9 for ns)
  std::int64_t instant_offset = 0;  ///< seconds east of UTC of the instants' clock (0: they are UTC)

#define KEFU_KPI_COLUMN_FIELD(name, kind, ...) typename column_storage<column_kind::kind>::type name;
  KEFU_KPI_COLUMNS(KEFU_KPI_COLUMN_FIELD)
#undef KEFU_KPI_COLUMN_FIELD

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

/// Calls f(column, field) for every column of the table, in its order (field is a label_column,
/// instant_column or number_column, const when `r` is; info(column) says the rest).
template <class Records, class F>
void for_each_column(Records& r, F&& f) {
#define KEFU_KPI_COLUMN_VISIT(name, ...) f(column::name, r.name);
  KEFU_KPI_COLUMNS(KEFU_KPI_COLUMN_VISIT)
#undef KEFU_KPI_COLUMN_VISIT
}

/// The field of column `name` if it is stored as a `Field` (label_column, instant_column or number_column),
/// else null.
template <class Field>
Field* find_column(records& r, std::string_view name) {
  Field* out = nullptr;
  for_each_column(r, [&](column c, auto& field) {
    if constexpr (std::is_same_v<std::decay_t<decltype(field)>, Field>)
      if (info(c).name == name) out = &field;
  });
  return out;
}

/// The names of the columns stored as `Field`, "a, b, c" (for messages).
template <class Field>
std::string column_list() {
  std::string out;
  records r;
  for_each_column(r, [&](column c, auto& field) {
    if constexpr (std::is_same_v<std::decay_t<decltype(field)>, Field>)
      out += (out.empty() ? "" : ", ") + std::string(info(c).name);
  });
  return out;
}

/// Rows [from, to) of the records: the same columns, pointers moved (nothing is copied).
inline records slice(const records& r, std::size_t from, std::size_t to) {
  records out = r;
  out.rows = to - from;
  const auto move = [&](column, auto& c) {
    using field = std::decay_t<decltype(c)>;
    if (!c.present()) return;
    if constexpr (std::is_same_v<field, number_column>) {
      static constexpr std::size_t width[] = {8, 4, 8, 4, 2, 1, 1};  // in number_type order
      c.data = static_cast<const char*>(c.data) + from * width[static_cast<std::size_t>(c.type)];
    } else if constexpr (std::is_same_v<field, label_column>) {
      static constexpr std::size_t width[] = {4, 2, 1};  // in code_type order
      c.codes = static_cast<const char*>(c.codes) + from * width[static_cast<std::size_t>(c.type)];
    } else {
      c.data += from;
    }
    c.size = to - from;
  };
  for_each_column(out, move);
  return out;
}

/// An error about one column of the records (names the column; `row` is 0-based, -1 for the column
/// as a whole). Derives from kefu::error so one handler catches all of kefu's errors.
class column_error : public error {
 public:
  column_error(std::string column, std::int64_t row, const std::string& what)
      : error(render(column, row, what), {}, {}, "kefu.kpi.column"), column_(std::move(column)), row_(row), reason_(what) {}
  const std::string& column() const noexcept { return column_; }
  std::int64_t row() const noexcept { return row_; }
  /// What is wrong, without the column and row ("7 is outside 1–5 (whole numbers)").
  const std::string& reason() const noexcept { return reason_; }
  /// The same error `rows` rows further down (a share's row as a row of the whole records); the
  /// column as a whole stays the column as a whole.
  column_error shifted(std::int64_t rows) const { return column_error(column_, row_ >= 0 ? row_ + rows : row_, reason_); }

 private:
  static std::string render(const std::string& column, std::int64_t row, const std::string& what) {
    return "column '" + column + "'" + (row >= 0 ? ", row " + std::to_string(row) : std::string()) + ": " + what;
  }
  std::string column_;
  std::int64_t row_ = -1;
  std::string reason_;
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

/// Checks that the required columns are there (channel too when `need_channel`) and that every present
/// column has `rows` values, in the column table's order.
inline void check_shape(const records& r, bool need_channel) {
  for_each_column(r, [&](column c, const auto& field) {
    if (info(c).need == column_need::required) detail::check_required(info(c).name.data(), field.present());
  });
  if (need_channel) detail::check_required("channel", r.channel.present());
  if (r.instant_unit <= 0) throw error("records: instant_unit must be positive");
  for_each_column(r, [&](column c, const auto& field) {
    if (field.present()) detail::check_size(info(c).name.data(), field.size, r.rows);
  });
}

}  // namespace kefu::kpi
