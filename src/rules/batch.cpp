// Columnar evaluation (kefu/rules/batch.hpp): checking a batch's columns, deciding its rows on shares of
// threads, and the decisions as columns.
#include <kefu/detail/parallel.hpp>
#include <kefu/detail/suggest.hpp>
#include <kefu/rules/batch.hpp>
#include <kefu/rules/triage.hpp>

#include "facts.hpp"

#include <algorithm>

namespace kefu::rules {

namespace {

std::string row_prefix(std::size_t row) { return "row " + std::to_string(row) + ": "; }

/// Rethrows the kefu::error in `e` with "row N: " in front, keeping its class and id.
[[noreturn]] void rethrow_at_row(const std::exception_ptr& e, std::size_t row) {
  try {
    std::rethrow_exception(e);
  } catch (const error& x) {
    rethrow_with_prefix(x, row_prefix(row));
  }
}

}  // namespace

batch::batch(const policy& p, std::size_t rows)
    : policy_(&p), fields_(&p.inputs()), noun_("input"), rows_(rows), columns_(p.inputs().size()), given_(p.inputs().size(), 0) {}

batch::batch(const triage_policy& t, std::size_t rows)
    : triage_(&t), fields_(&t.facts()), noun_("fact"), rows_(rows), columns_(t.facts().size()), given_(t.facts().size(), 0) {}

const policy& batch::decider() const {
  if (!policy_) throw error("a batch of facts is decided by triage_batch, not by one policy", {}, {}, "kefu.rules.column");
  return *policy_;
}

bool batch::needed(std::size_t slot) const {
  // Facts: a required one that is missing is triage's error at its row (after the rows before it are
  // triaged), not a batch error.
  return policy_ && !(*fields_)[slot].default_text;
}

std::size_t batch::slot(const std::string& input) const {
  if (triage_) return triage_->fact_slot(input);  // "unknown fact 'x' (did you mean …)", kefu.rules.unknown_fact
  const auto& inputs = *fields_;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].name == input) return i;
  std::vector<std::string> names;
  for (const auto& f : inputs) names.push_back(f.name);
  throw error("policy '" + policy_->name() + "': unknown input '" + input + "'" + kefu::detail::did_you_mean(input, names), {},
              {}, "kefu.rules.unknown_input");
}

batch::column& batch::add(std::size_t slot, bool text) {
  const auto& inputs = *fields_;
  if (slot >= inputs.size())
    throw error(std::string(policy_ ? "policy '" + policy_->name() + "'" : std::string("the facts vocabulary")) + " has " +
                    std::to_string(inputs.size()) + " " + noun_ + "s, no slot " + std::to_string(slot),
                {}, {}, "kefu.rules.column");
  const field& f = inputs[slot];
  if (given_[slot]) throw error("column '" + f.name + "' is given twice", {}, {}, "kefu.rules.column");
  if (text != (f.type == value_type::text))
    throw error("column '" + f.name + "': " + noun_ + " '" + f.name + "' is " + to_string(f.type) + ", give its values as " +
                    (text ? "numbers" : "texts"),
                {}, {}, "kefu.rules.column");
  given_[slot] = 1;
  order_.push_back(slot);
  return columns_[slot];
}

batch& batch::numbers(std::size_t slot, const std::int64_t* values, const std::uint8_t* missing, bool checked) {
  column& c = add(slot, false);
  c.numbers = values;
  c.missing = missing;
  c.checked = checked;
  return *this;
}

batch& batch::numbers(std::size_t slot, std::vector<std::int64_t> values, std::vector<std::uint8_t> missing) {
  const auto& name = fields_->at(slot).name;
  if (values.size() != rows_ || (!missing.empty() && missing.size() != rows_))
    throw error("column '" + name + "' has " + std::to_string(missing.empty() || values.size() != rows_ ? values.size() : missing.size()) +
                    " values, the batch has " + std::to_string(rows_) + " rows",
                {}, {}, "kefu.rules.column");
  kept_numbers_.push_back(std::move(values));
  const std::uint8_t* mask = nullptr;
  if (!missing.empty()) {
    kept_masks_.push_back(std::move(missing));
    mask = kept_masks_.back().data();
  }
  return numbers(slot, kept_numbers_.back().data(), mask);
}

batch& batch::bools(std::size_t slot, const bool* values, const std::uint8_t* missing) {
  std::vector<std::int64_t> numbers(values, values + rows_);
  std::vector<std::uint8_t> mask;
  if (missing) mask.assign(missing, missing + rows_);
  return this->numbers(slot, std::move(numbers), std::move(mask));
}

batch& batch::codes(std::size_t slot, const std::int32_t* values) {
  std::vector<std::int64_t> numbers(rows_);
  std::vector<std::uint8_t> mask;
  for (std::size_t i = 0; i < rows_; ++i) {
    numbers[i] = values[i];
    if (values[i] < 0) {
      if (mask.empty()) mask.assign(rows_, 0);
      mask[i] = 1;
      numbers[i] = 0;
    }
  }
  return this->numbers(slot, std::move(numbers), std::move(mask));
}

batch& batch::texts(std::size_t slot, const std::string_view* values, const std::uint8_t* missing) {
  column& c = add(slot, true);
  c.texts = values;
  c.missing = missing;
  return *this;
}

batch& batch::texts(std::size_t slot, std::vector<std::string> values, std::vector<std::uint8_t> missing) {
  const auto& name = fields_->at(slot).name;
  if (values.size() != rows_ || (!missing.empty() && missing.size() != rows_))
    throw error("column '" + name + "' has " + std::to_string(missing.empty() || values.size() != rows_ ? values.size() : missing.size()) +
                    " values, the batch has " + std::to_string(rows_) + " rows",
                {}, {}, "kefu.rules.column");
  kept_strings_.push_back(std::move(values));
  kept_views_.emplace_back(kept_strings_.back().begin(), kept_strings_.back().end());
  const std::uint8_t* mask = nullptr;
  if (!missing.empty()) {
    kept_masks_.push_back(std::move(missing));
    mask = kept_masks_.back().data();
  }
  return texts(slot, kept_views_.back().data(), mask);
}

batch& batch::refuse(std::size_t slot, std::size_t row, std::exception_ptr why) {
  if (slot >= columns_.size() || !given_[slot])
    throw error("refuse: input slot " + std::to_string(slot) + " has no column", {}, {}, "kefu.rules.column");
  if (row >= rows_) throw error("refuse: row " + std::to_string(row) + " is past the batch", {}, {}, "kefu.rules.column");
  column& c = columns_[slot];
  if (row < c.refused_row) {
    c.refused_row = row;
    c.refused = std::move(why);
  }
  return *this;
}

std::size_t batch::first_bad_value(std::size_t slot, std::exception_ptr& why) const {
  const column& c = columns_[slot];
  const field& f = (*fields_)[slot];
  const std::size_t limit = std::min(rows_, c.refused_row);
  // A derived fact: computed by triage, so a row that gives it a value is refused (a row without one is fine,
  // as a dict that holds None for it is).
  if (triage_ && !f.derived.empty()) {
    for (std::size_t i = 0; i < limit; ++i)
      if (!(c.missing && c.missing[i])) {
        why = std::make_exception_ptr(
            error("fact '" + f.name + "' is derived (" + f.derived + "); do not give it", {}, {}, "kefu.rules.derived_fact"));
        return i;
      }
    if (c.refused_row != npos) {
      why = c.refused;
      return c.refused_row;
    }
    return npos;
  }
  // Facts marked non_negative: a count or an amount below zero is refused, as triage refuses it.
  if (triage_ && c.numbers && f.non_negative) {
    for (std::size_t i = 0; i < limit; ++i)
      if (c.numbers[i] < 0 && !(c.missing && c.missing[i])) {
        try {
          value v;
          v.number = c.numbers[i];
          detail::check_fact_not_negative(f, v);
        } catch (const error&) {
          why = std::current_exception();
          return i;
        }
      }
  }
  // Values a converter could not have checked: enum indices, bools and set masks out of their range.
  if (c.numbers && !c.checked && (f.type == value_type::enumeration || f.type == value_type::boolean || f.type == value_type::set)) {
    const std::int64_t count = static_cast<std::int64_t>(f.values.size());
    const std::int64_t* v = c.numbers;
    const std::uint8_t* m = c.missing;
    // Blocks without a branch per value (the common case: every value valid), then the row in the block.
    auto first_invalid = [&](auto invalid) {
      constexpr std::size_t block = 1024;
      for (std::size_t from = 0; from < limit; from += block) {
        const std::size_t to = std::min(limit, from + block);
        // The values alone first, missing rows included (64-bit lanes only: this vectorises; a missing row
        // holds any number, usually valid), then the row, minding the mask, only in a block with a suspect.
        bool any = false;
        for (std::size_t i = from; i < to; ++i) any |= invalid(v[i]);
        if (any)
          for (std::size_t i = from; i < to; ++i)
            if (invalid(v[i]) && !(m && m[i])) return i;
      }
      return npos;
    };
    std::size_t bad = npos;
    if (f.type == value_type::set) {
      const std::uint64_t allowed = count >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << count) - 1;
      bad = first_invalid([allowed](std::int64_t x) { return (static_cast<std::uint64_t>(x) & ~allowed) != 0; });
    } else {  // enum indices in [0, count), bools 0 or 1 (negative values are huge unsigned)
      const std::uint64_t end = f.type == value_type::boolean ? 2 : static_cast<std::uint64_t>(count);
      bad = first_invalid([end](std::int64_t x) { return static_cast<std::uint64_t>(x) >= end; });
    }
    if (bad != npos) {
      const std::string given = std::to_string(v[bad]);
      const std::string msg =
          f.type == value_type::enumeration ? "value index " + given + " is not one of its " + std::to_string(count) + " values"
          : f.type == value_type::boolean   ? given + " is not a bool (0 or 1)"
                                            : "set " + given + " has bits past its " + std::to_string(count) + " values";
      why = std::make_exception_ptr(parse_error(std::string(noun_) + " '" + f.name + "': " + msg, {}, {},
                                                f.type == value_type::boolean ? "kefu.rules.type_mismatch"
                                                                              : "kefu.rules.unknown_value"));
      return bad;
    }
  }
  if (c.refused_row != npos) {
    why = c.refused;
    return c.refused_row;
  }
  return npos;
}

// The first row at fault, as evaluating the rows one by one would find it: reading a row stops at a bad
// value before it finds the inputs missing; `bad` is null when inputs are missing at that row.
std::size_t batch::find_fault(std::exception_ptr& bad) const {
  std::size_t out = npos;
  std::vector<std::size_t> limit(columns_.size(), rows_);
  for (const std::size_t s : order_) {
    std::exception_ptr why;
    const std::size_t row = first_bad_value(s, why);
    if (row == npos) continue;
    limit[s] = row;
    if (row < out) {
      out = row;
      bad = why;
    }
  }
  std::size_t missing = npos;
  for (std::size_t s = 0; s < columns_.size() && rows_ > 0; ++s) {
    if (!needed(s)) continue;
    if (!given_[s]) {
      missing = 0;
      break;
    }
    const std::uint8_t* mask = columns_[s].missing;
    if (!mask) continue;
    const std::size_t end = std::min(limit[s], missing == npos ? rows_ : missing);
    for (std::size_t i = 0; i < end; ++i)
      if (mask[i]) {
        missing = i;
        break;
      }
  }
  if (missing < out) {
    out = missing;
    bad = nullptr;
  }
  return out;
}

std::size_t batch::first_bad_row() const {
  std::exception_ptr bad;
  const std::size_t row = find_fault(bad);
  return row == npos ? rows_ : row;
}

void batch::check() const {
  std::exception_ptr bad;
  const std::size_t row = find_fault(bad);
  if (row == npos) return;
  if (bad) rethrow_at_row(bad, row);
  record r = policy_->make_record();
  for (std::size_t s = 0; s < columns_.size(); ++s)
    r.present[s] = given_[s] ? !(columns_[s].missing && columns_[s].missing[row]) : policy_->inputs()[s].default_text.has_value();
  try {
    policy_->check_complete(r);
  } catch (const error& e) {
    rethrow_with_prefix(e, row_prefix(row));
  }
}

const value* decision_columns::decided(std::int32_t rule, std::size_t output) const {
  if (rule >= 0) return decider->output_of_rule(static_cast<std::uint32_t>(rule), output);
  const auto& d = decider->default_outputs();
  return output < d.size() && d[output] ? &*d[output] : nullptr;
}

bool decision_columns::always_set(std::size_t output) const {
  for (std::size_t r = 0; r < decider->rules().size(); ++r)
    if (!decided(static_cast<std::int32_t>(r), output)) return false;
  return !decider->has_default() || decided(-1, output);
}

output_column decision_columns::output(std::size_t output) const {
  if (output >= decider->outputs().size())
    throw error("policy '" + decider->name() + "' has no output " + std::to_string(output), {}, {}, "kefu.rules.unknown_output");
  const bool text = decider->outputs()[output].type == value_type::text || decider->outputs()[output].type == value_type::deadline;
  // One look-up per rule (the last entry: the default), then one per row.
  const std::size_t rules = decider->rules().size();
  std::vector<const value*> palette(rules + 1);
  for (std::size_t r = 0; r < rules; ++r) palette[r] = decided(static_cast<std::int32_t>(r), output);
  palette[rules] = decided(-1, output);
  output_column out;
  const std::size_t n = size();
  out.numbers.resize(n);
  out.set.resize(n);
  if (text) out.texts.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const value* v = palette[rule_index[i] < 0 ? rules : static_cast<std::size_t>(rule_index[i])];
    if (!v) continue;
    out.numbers[i] = v->number;
    out.set[i] = 1;
    if (text) out.texts[i] = v->text;
  }
  return out;
}

decision_columns evaluate_columns(const batch& b, const batch_options& options) {
  b.check();
  const policy& p = b.decider();
  const std::size_t n = b.rows();
  decision_columns out;
  out.decider = &p;
  out.rule_index.resize(n);
  out.by_default.resize(n);
  out.match_offsets.assign(n + 1, 0);

  // The given columns, by kind; inputs not given keep their defaults (check() made sure they have one).
  struct number_column {
    std::size_t slot;
    const std::int64_t* values;
    const std::uint8_t* missing;
  };
  struct text_column {
    std::size_t slot;
    const std::string_view* values;
    const std::uint8_t* missing;
  };
  std::vector<number_column> numbers, masked_numbers;  // columns without and with missing rows
  std::vector<text_column> texts;
  for (const std::size_t s : b.order()) {
    const auto* c = b.column_of(s);
    if (p.inputs()[s].type == value_type::text)
      texts.push_back({s, c->texts, c->missing});
    else
      (c->missing ? masked_numbers : numbers).push_back({s, c->numbers, c->missing});
  }
  const record base = p.make_record();

  const std::size_t shares = kefu::detail::share_count(n, options.threads, std::max<std::size_t>(1, options.min_share));
  std::vector<std::vector<std::int32_t>> matched(shares);
  kefu::detail::parallel_shares(n, shares, [&](std::size_t k, std::size_t from, std::size_t to) {
    record r = p.make_record();
    std::fill(r.present.begin(), r.present.end(), 1);
    decision d;
    auto& rules = matched[k];
    rules.reserve(to - from);
    for (std::size_t i = from; i < to; ++i) {
      for (const auto& c : numbers) r.numbers[c.slot] = c.values[i];
      for (const auto& c : masked_numbers) r.numbers[c.slot] = c.missing[i] ? base.numbers[c.slot] : c.values[i];
      for (const auto& c : texts) r.texts[c.slot] = c.missing && c.missing[i] ? base.texts[c.slot] : c.values[i];
      try {
        p.evaluate(r, d);
      } catch (const error& e) {
        rethrow_with_prefix(e, row_prefix(i));
      }
      out.rule_index[i] = d.matched.empty() ? -1 : static_cast<std::int32_t>(d.matched.front());
      out.by_default[i] = d.by_default ? 1 : 0;
      for (const auto m : d.matched) rules.push_back(static_cast<std::int32_t>(m));
      out.match_offsets[i + 1] = static_cast<std::int64_t>(rules.size());  // within the share; made global below
    }
  });
  // Offsets within each share → offsets into the joined rules.
  std::int64_t before = 0;
  for (std::size_t k = 0; k < shares; ++k) {
    const std::size_t from = n * k / shares, to = n * (k + 1) / shares;
    if (before)
      for (std::size_t i = from; i < to; ++i) out.match_offsets[i + 1] += before;
    before += static_cast<std::int64_t>(matched[k].size());
  }
  if (shares == 1) {
    out.match_rules = std::move(matched[0]);
  } else {
    out.match_rules.reserve(static_cast<std::size_t>(before));
    for (const auto& m : matched) out.match_rules.insert(out.match_rules.end(), m.begin(), m.end());
  }
  return out;
}

std::vector<decision> evaluate_records(const policy& p, const std::vector<record>& rows) {
  std::vector<decision> out(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    try {
      p.evaluate(rows[i], out[i]);
    } catch (const error& e) {
      rethrow_with_prefix(e, row_prefix(i));
    }
  }
  return out;
}

}  // namespace kefu::rules
