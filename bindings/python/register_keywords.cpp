// kefu.KeywordSet: a policy's keyword sets (DecisionPolicy.keyword_sets) or one built from Python, with
// negation cues and exceptions (DOM-RISK-5). Places in a text are given as str indices, not UTF-8 bytes.
#include "register.hpp"

#include <kefu/rules/keywords.hpp>

#include <pybind11/stl.h>

#include <map>
#include <memory>

namespace py = pybind11;
namespace kr = kefu::rules;

namespace kefu::python {

namespace {

using keyword_set_ptr = std::shared_ptr<kr::keyword_set>;

/// Code points in text[0, byte) (the str index of a UTF-8 byte offset at a character boundary).
std::size_t str_index(const std::string& text, std::size_t byte) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) n += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
  return n;
}

struct py_hit {
  std::string word;
  std::size_t start = 0, end = 0;
  std::string status;
  std::string by;
};

kr::negation_rules negation_from(py::handle h) {
  kr::negation_rules n;
  if (h.is_none()) return n;
  const auto d = py::reinterpret_borrow<py::dict>(h);
  for (const auto& kv : d) {
    const std::string key = py::str(kv.first);
    if (key != "cues" && key != "window" && key != "not_cues" && key != "breaks")
      throw py::value_error("unknown key '" + key + "' in negation (expected cues, window, not_cues, breaks)");
  }
  if (d.contains("window")) n.window = d["window"].cast<int>();
  if (n.window < 0 || n.window > 20) throw py::value_error("negation window must be from 0 to 20");
  if (d.contains("cues"))
    for (const auto& c : d["cues"]) {
      if (py::isinstance<py::tuple>(c)) {
        const auto t = py::reinterpret_borrow<py::tuple>(c);
        if (t.size() != 2) throw py::value_error("a cue with its own window is a (cue, window) pair");
        n.cues.push_back({t[0].cast<std::string>(), t[1].cast<int>()});
      } else {
        n.cues.push_back({c.cast<std::string>(), -1});
      }
    }
  if (d.contains("not_cues")) n.not_cues = d["not_cues"].cast<std::vector<std::string>>();
  if (d.contains("breaks")) n.breaks = d["breaks"].cast<std::vector<std::string>>();
  return n;
}

}  // namespace

void register_keywords(py::module_& m) {
  py::class_<py_hit>(m, "KeywordHit", "One occurrence of a keyword in a text (KeywordSet.scan).")
      .def_readonly("word", &py_hit::word, "The keyword as listed in the set.")
      .def_readonly("start", &py_hit::start, "str index of the first character")
      .def_readonly("end", &py_hit::end, "str index after the last character")
      .def_readonly("status", &py_hit::status, "'counted', 'negated' or 'excepted'")
      .def_readonly("by", &py_hit::by, "the negation cue or exception phrase that discounts it ('' when counted)")
      .def_property_readonly("counted", [](const py_hit& h) { return h.status == "counted"; },
                             "Whether the occurrence counts (status 'counted').")
      .def("__repr__", [](const py_hit& h) {
        return "KeywordHit('" + h.word + "', " + std::to_string(h.start) + ", " + std::to_string(h.end) + ", " + h.status +
               (h.by.empty() ? std::string() : " by '" + h.by + "'") + ")";
      });

  py::class_<kr::keyword_set, keyword_set_ptr>(
      m, "KeywordSet",
      "A compiled keyword set: words matched ignoring full/half width and letter case; with negation cues and "
      "exception phrases a word found may not count (docs/rules.md, 'Negation and exceptions').")
      .def(py::init([](std::string name, std::vector<std::string> words, const negation_arg& negation,
                       std::map<std::string, std::vector<std::string>> exceptions) {
             if (words.empty()) throw py::value_error("a keyword set needs at least one word");
             std::vector<kr::keyword_exception> ex;
             for (auto& [word, phrases] : exceptions) ex.push_back({word, std::move(phrases)});
             return std::make_shared<kr::keyword_set>(std::move(name), std::move(words), negation_from(negation), std::move(ex));
           }),
           py::arg("name"), py::arg("words"), py::arg("negation") = py::none(),
           py::arg("exceptions") = std::map<std::string, std::vector<std::string>>{},
           "negation: {'cues': [...], 'window': 4, 'not_cues': [...], 'breaks': [...]}, a cue with its own window "
           "as a (cue, window) pair; exceptions: {word: [phrase, ...]}")
      .def_property_readonly("name", &kr::keyword_set::name, "The keyword set's name.")
      .def_property_readonly("words", &kr::keyword_set::words, "The keywords, in the set's order.")
      .def_property_readonly("negation",
                             [](const kr::keyword_set& k) -> optional_dict_result {
                               const auto& n = k.negation();
                               if (n.empty()) return py::none();
                               py::list cues;
                               for (const auto& c : n.cues)
                                 if (c.window >= 0)
                                   cues.append(py::make_tuple(c.text, c.window));
                                 else
                                   cues.append(py::str(c.text));
                               py::dict d;
                               d["cues"] = cues;
                               d["window"] = n.window;
                               d["not_cues"] = n.not_cues;
                               d["breaks"] = n.breaks;
                               return d;
                             },
                             "The negation rules ({cues, window, not_cues, breaks}), None when the set has none.")
      .def_property_readonly("exceptions",
                             [](const kr::keyword_set& k) {
                               py::dict d;
                               for (const auto& e : k.exceptions()) d[py::str(e.word)] = e.phrases;
                               return d;
                             },
                             "Word → the phrases in which an occurrence of it does not count.")
      .def("contains_any", &kr::keyword_set::contains_any, py::arg("text"),
           "Whether some occurrence of some word counts (is neither negated nor inside an exception).")
      .def(
          "matches",
          [](const kr::keyword_set& k, const std::string& text) {
            std::vector<std::string> out;
            for (const auto w : k.matches(text)) out.push_back(k.words()[w]);
            return out;
          },
          py::arg("text"), "The words with an occurrence that counts, in order of first such occurrence.")
      .def(
          "scan",
          [](const kr::keyword_set& k, const std::string& text) {
            std::vector<py_hit> out;
            for (const auto& h : k.scan(text))
              out.push_back({k.words()[h.word], str_index(text, h.begin), str_index(text, h.end), kr::to_string(h.status), h.by});
            return out;
          },
          py::arg("text"), "Every occurrence of every word, with whether it counts and why not.")
      .def("__repr__", [](const kr::keyword_set& k) {
        return "KeywordSet('" + k.name() + "', " + std::to_string(k.words().size()) + " words" +
               (k.negation().empty() ? std::string() : ", negation") +
               (k.exceptions().empty() ? std::string() : ", exceptions") + ")";
      });
}

/// DecisionPolicy.keyword_sets: name → KeywordSet (each keeps its policy alive).
py::dict keyword_sets_of(const policy_ptr& p) {
  py::dict out;
  for (const auto& k : p->keyword_sets())
    out[py::str(k.name())] = py::cast(keyword_set_ptr(p, const_cast<kr::keyword_set*>(&k)));
  return out;
}

}  // namespace kefu::python
