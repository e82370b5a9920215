// Reading Python rows (dicts of name → value) into records, shared by decision policies and triage.
// Per batch, names and enum values are put in Python dicts once, so each row's keys and enum values
// are found by hash without building std::strings; native values skip the text round trip. The
// dicts' keys are interned, so keys and values written as literals in Python match by identity.
#pragma once

#include "convert/datetime.hpp"
#include "convert/missing.hpp"
#include "convert/value.hpp"

#include <kefu/money.hpp>
#include <kefu/rules/batch.hpp>
#include <kefu/rules/policy.hpp>
#include <kefu/rules/triage.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kefu::python {

/// An interned Python str (equal interned strings are one object: dict look-ups compare pointers).
inline pybind11::str interned(const std::string& text) {
  PyObject* o = PyUnicode_FromStringAndSize(text.data(), static_cast<Py_ssize_t>(text.size()));
  if (!o) throw pybind11::error_already_set();
  PyUnicode_InternInPlace(&o);
  return pybind11::reinterpret_steal<pybind11::str>(o);
}

/// A dict look-up that raises instead of hiding errors (and skips PyDict_GetItem's error juggling).
inline PyObject* dict_find(pybind11::handle dict, PyObject* key) {
  PyObject* found = PyDict_GetItemWithError(dict.ptr(), key);
  if (!found && PyErr_Occurred()) throw pybind11::error_already_set();
  return found;
}

/// Target adapts the thing being filled: fields(), zone(), make(), set_value(record&, slot, value),
/// set_number(record&, slot, number) for every type but text,
/// set_text(record&, slot, text), finish(record&), and unknown(name) which throws.
template <class Target>
struct row_reader {
  Target target;
  py_types types;
  pybind11::dict slots;
  std::vector<pybind11::dict> enum_values;
  /// Per slot: a number read for it may be written straight into the record (Target::direct_numbers: the
  /// target's set_number does nothing more for a number that is not negative).
  std::vector<std::uint8_t> direct_number;
  /// The keys of the last dict read, by position, with their slots: dicts built alike (rows of one reader, dicts
  /// made in a loop) have the same key objects in the same order, so a key is found by identity, without
  /// hashing or comparing its text. The keys are held, so an address is never another key's. Only read()
  /// touches it, with the GIL held, and no Python code runs between its look-up and its update.
  mutable std::vector<std::pair<pybind11::object, std::size_t>> last_keys;

  explicit row_reader(Target t) : target(std::move(t)), types(py_types::load()) {
    const auto& fields = target.fields();
    enum_values.resize(fields.size());
    direct_number.assign(fields.size(), 0);
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const auto& f = fields[i];
      if constexpr (Target::direct_numbers) direct_number[i] = f.derived.empty() && f.type != kefu::rules::value_type::text;
      slots[interned(f.name)] = pybind11::int_(i);
      if (f.type == kefu::rules::value_type::enumeration)
        for (std::size_t v = 0; v < f.values.size(); ++v) enum_values[i][interned(f.values[v])] = pybind11::int_(v);
    }
  }

  void set(kefu::rules::record& r, std::size_t slot, pybind11::handle raw) const {
    if (set_native(r, slot, raw.ptr())) return;
    if (is_missing(raw)) return;
    const auto& f = target.fields()[slot];
    const pybind11::object value = plain(raw);
    std::optional<kefu::rules::value> typed;
    std::string text;
    try {
      typed = fast_value(f, value, target.zone(), types);
      if (!typed) text = to_text(f, value, target.zone());
    } catch (const pybind11::cast_error&) {  // name the field, never "Unable to cast … to C++ type '?'"
      throw kefu::parse_error(std::string(Target::noun) + " '" + f.name + "': " + unreadable(value), {}, {},
                              "kefu.rules.bad_value");
    } catch (const pybind11::error_already_set& e) {
      if (!e.matches(PyExc_UnicodeError) && !e.matches(PyExc_OverflowError)) throw;
      throw kefu::parse_error(std::string(Target::noun) + " '" + f.name + "': " + unreadable(value), {}, {},
                              "kefu.rules.bad_value");
    }
    if (typed) target.set_value(r, slot, std::move(*typed));
    else target.set_text(r, slot, text);
  }

  /// Values of exactly the field's native Python type, read without the general path (the common case of a
  /// dict built by a program); false when the value needs the general path.
  bool set_native(kefu::rules::record& r, std::size_t slot, PyObject* o) const {
    const auto& f = target.fields()[slot];
    std::int64_t number = 0;
    switch (f.type) {
      case kefu::rules::value_type::text: {
        if (!PyUnicode_CheckExact(o)) return false;
        Py_ssize_t size = 0;
        const char* utf8 = PyUnicode_AsUTF8AndSize(o, &size);
        if (!utf8) {  // a lone surrogate: the general path says why
          PyErr_Clear();
          return false;
        }
        kefu::rules::value v;
        v.text.assign(utf8, static_cast<std::size_t>(size));
        target.set_value(r, slot, std::move(v));
        return true;
      }
      case kefu::rules::value_type::enumeration: {  // a value name, found by identity when interned
        if (!PyUnicode_CheckExact(o)) return false;
        PyObject* index = dict_find(enum_values[slot], o);
        if (!index) return false;  // the general path says which values the field has
        number = PyLong_AsLongLong(index);
        break;
      }
      case kefu::rules::value_type::boolean:
        if (!PyBool_Check(o)) return false;
        number = o == Py_True ? 1 : 0;
        break;
      case kefu::rules::value_type::integer: {
        if (!PyLong_CheckExact(o)) return false;
        int overflow = 0;
        number = PyLong_AsLongLongAndOverflow(o, &overflow);
        if (overflow) return false;
        break;
      }
      case kefu::rules::value_type::money:
        if (PyUnicode_CheckExact(o)) {  // "123.45", as CSV readers and JSON give amounts: parsed here, exactly
          Py_ssize_t size = 0;
          const char* utf8 = PyUnicode_AsUTF8AndSize(o, &size);
          if (!utf8) {
            PyErr_Clear();
            return false;
          }
          try {
            number = kefu::money::parse(std::string_view(utf8, static_cast<std::size_t>(size))).fen();
          } catch (const kefu::parse_error&) {
            return false;  // the general path says what is wrong with the text, naming the input
          }
          break;
        }
        if (!pybind11::isinstance<kefu::money>(o)) return false;
        number = pybind11::handle(o).cast<const kefu::money&>().fen();
        break;
      case kefu::rules::value_type::date:
        if (!exact_date_days(o, number)) return false;
        break;
      case kefu::rules::value_type::datetime:
        if (!exact_datetime(o)) return false;
        number = to_instant(o, target.zone()).unix_seconds();
        break;
      default: return false;
    }
    if (direct_number[slot] && number >= 0) {  // as triage_policy::set_fact_number writes it
      r.numbers[slot] = number;
      r.texts[slot] = std::string_view();
      r.present[slot] = 1;
      return true;
    }
    target.set_number(r, slot, number);
    return true;
  }

  /// Why a Python value could not be read: ints past 64 bits, text that is not valid Unicode.
  static std::string unreadable(pybind11::handle value) {
    if (PyLong_Check(value.ptr()))
      return "the number " + std::string(pybind11::str(value)) + " is out of range (whole numbers between "
             "-9223372036854775808 and 9223372036854775807)";
    if (PyUnicode_Check(value.ptr())) return "the text is not valid Unicode (it holds a lone surrogate)";
    return "cannot read a value of type " + type_name(value);
  }

  std::size_t slot_of(pybind11::handle key) const {
    PyObject* slot = dict_find(slots, key.ptr());
    if (!slot) target.unknown(pybind11::str(key));
    return static_cast<std::size_t>(PyLong_AsSsize_t(slot));
  }

  /// One mapping to a record: every key must be a field; the target checks what must be given.
  kefu::rules::record read(pybind11::handle row) const {
    kefu::rules::record r = target.make();
    if (PyDict_Check(row.ptr())) {
      PyObject *key, *value;
      Py_ssize_t pos = 0;
      std::size_t k = 0;
      while (PyDict_Next(row.ptr(), &pos, &key, &value)) {
        std::size_t slot;
        if (k < last_keys.size() && last_keys[k].first.ptr() == key) {
          slot = last_keys[k].second;
        } else {
          slot = slot_of(key);  // throws for a key that is no field
          if (k >= last_keys.size()) last_keys.resize(k + 1);
          last_keys[k] = {pybind11::reinterpret_borrow<pybind11::object>(key), slot};
        }
        ++k;
        set(r, slot, value);
      }
    } else if (pybind11::hasattr(row, "items")) {
      for (auto item : row.attr("items")()) {
        const pybind11::tuple kv = item.cast<pybind11::tuple>();
        set(r, slot_of(kv[0]), kv[1]);
      }
    } else {
      throw pybind11::type_error("facts must be a dict of name to value, got " + type_name(row));
    }
    target.finish(r);
    return r;
  }
};

/// The row reader of a bound object (a Policy, a DecisionPolicy), made on first use and kept in the object's
/// __dict__ under `key`: reading one dict then finds names and enum values without rebuilding the look-up dicts.
/// The capsule is held for as long as the caller keeps the returned object, so a reader replaced or removed
/// meanwhile (another thread storing its own first, a del of the attribute) stays alive while it is used.
template <class Reader>
struct held_reader {
  pybind11::object capsule;
  const Reader* reader;
  const Reader* operator->() const { return reader; }
};
template <class Reader, class Make>
held_reader<Reader> cached_reader(pybind11::handle self, const char* key, Make&& make) {
  // The instance dict (py::dynamic_attr gives one) without self.attr("__dict__"), which makes a string and
  // looks the name up through the type's MRO on every call.
  PyObject* dict = PyObject_GenericGetDict(self.ptr(), nullptr);
  if (!dict) throw pybind11::error_already_set();
  const auto attributes = pybind11::reinterpret_steal<pybind11::dict>(dict);
  // The key as an interned str made once per call site (each `make` lambda is its own instantiation): the
  // look-up is on the hot path of every evaluate(dict) and triage(dict).
  static PyObject* const name_object = PyUnicode_InternFromString(key);
  const pybind11::handle name(name_object);
  if (PyObject* found = PyDict_GetItemWithError(attributes.ptr(), name.ptr()))
    return {pybind11::reinterpret_borrow<pybind11::object>(found),
            static_cast<const Reader*>(pybind11::reinterpret_borrow<pybind11::capsule>(found).get_pointer())};
  if (PyErr_Occurred()) throw pybind11::error_already_set();
  // Making the reader can run Python (imports) and so let another thread in: the first reader stored wins.
  pybind11::capsule made(new Reader(make()), [](void* r) { delete static_cast<Reader*>(r); });
  PyObject* kept = PyDict_SetDefault(attributes.ptr(), name.ptr(), made.ptr());
  if (!kept) throw pybind11::error_already_set();
  return {pybind11::reinterpret_borrow<pybind11::object>(kept),
          static_cast<const Reader*>(pybind11::reinterpret_borrow<pybind11::capsule>(kept).get_pointer())};
}

/// A decision policy as a row_reader target: inputs, with their defaults, must all be given.
struct policy_target {
  static constexpr const char* noun = "input";
  static constexpr bool direct_numbers = false;
  const kefu::rules::policy* p;
  const std::vector<kefu::rules::field>& fields() const { return p->inputs(); }
  const kefu::time_zone& zone() const { return p->zone(); }
  kefu::rules::record make() const { return p->make_record(); }
  void set_value(kefu::rules::record& r, std::size_t slot, kefu::rules::value v) const { p->set_value(r, slot, std::move(v)); }
  void set_number(kefu::rules::record& r, std::size_t slot, std::int64_t n) const { p->set_number(r, slot, n); }
  void set_text(kefu::rules::record& r, std::size_t slot, const std::string& text) const { p->set(r, slot, text); }
  void finish(const kefu::rules::record& r) const { p->check_complete(r); }
  [[noreturn]] void unknown(const std::string& name) const {
    kefu::rules::batch(*p, 0).slot(name);  // throws "policy 'P': unknown input 'x' (did you mean …)", kefu.rules.unknown_input
    throw std::logic_error("kefu: input '" + name + "' is unknown and known");
  }
};
using policy_rows = row_reader<policy_target>;

/// The same for partial facts (DecisionPolicy.evaluate_partial): inputs may be left out.
struct partial_policy_target : policy_target {
  void finish(const kefu::rules::record&) const {}
};
using partial_policy_rows = row_reader<partial_policy_target>;

/// A triage policy as a row_reader target: facts, with the vocabulary's defaults; derived facts
/// cannot be given; triage itself checks the required ones.
struct triage_target {
  static constexpr const char* noun = "fact";
  static constexpr bool direct_numbers = true;  // set_fact_number: refuses derived facts and negative non_negative ones
  const kefu::rules::triage_policy* t;
  const std::vector<kefu::rules::field>& fields() const { return t->facts(); }
  const kefu::time_zone& zone() const { return t->zone(); }
  kefu::rules::record make() const { return t->make_facts(); }
  void set_value(kefu::rules::record& r, std::size_t slot, kefu::rules::value v) const { t->set_fact_value(r, slot, std::move(v)); }
  void set_number(kefu::rules::record& r, std::size_t slot, std::int64_t n) const { t->set_fact_number(r, slot, n); }
  void set_text(kefu::rules::record& r, std::size_t slot, const std::string& text) const { t->set_fact(r, slot, text); }
  void finish(const kefu::rules::record&) const {}
  [[noreturn]] void unknown(const std::string& name) const {
    t->fact_slot(name);  // throws "unknown fact 'x' (did you mean …)"
    throw kefu::error("unknown fact '" + name + "'");
  }
};
using facts_rows = row_reader<triage_target>;

}  // namespace kefu::python
