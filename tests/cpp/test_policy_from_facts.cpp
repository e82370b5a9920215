// `values: from facts`: an enum or set input takes the values of the facts vocabulary's field of the same
// name — the rules directory's under triage, the facts file beside the policy file when it is loaded alone.
#include <kefu/rules/policy.hpp>
#include <kefu/rules/triage.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

using namespace kefu_test;

namespace {

const char* facts_yaml = R"(facts: shop
fields:
  category: {type: enum, values: [quality, billing, attitude], required: true}
  tags: {type: set, values: [vip, repeat]}
  days: {type: int, default: "0"}
)";

const char* policy_yaml = R"(policy: returns
inputs:
  category: {type: enum, values: from facts}
  tags: {type: set, values: from facts}
  days: int
outputs:
  ok: bool
rules:
  - id: QUALITY
    when: category == quality and days <= 7
    then: {ok: true}
  - id: VIP
    when: vip in tags
    then: {ok: true}
default: {ok: false}
)";

std::vector<std::string> values_of(const kefu::rules::policy& p, const std::string& input) {
  return p.inputs()[p.slot(input)].values;
}

}  // namespace

TEST(PolicyFromFacts, ALoneFileReadsTheFactsFileBesideIt) {
  scratch_dir dir;
  dir.write("facts.yaml", facts_yaml);
  const auto p = kefu::rules::load_policy_file(dir.write("returns.yaml", policy_yaml));
  EXPECT_EQ(values_of(*p, "category"), (std::vector<std::string>{"quality", "billing", "attitude"}));
  EXPECT_EQ(values_of(*p, "tags"), (std::vector<std::string>{"vip", "repeat"}));
  auto r = p->make_record();
  p->set(r, p->slot("category"), "quality");
  p->set(r, p->slot("tags"), "[]");
  p->set(r, p->slot("days"), "3");
  EXPECT_EQ(p->rules()[p->evaluate(r).matched.at(0)].id, "QUALITY");
  // Conditions are checked against the values from the facts.
  const std::string bad = std::string(policy_yaml).replace(std::string(policy_yaml).find("category == quality"), 19, "category == qualty");
  EXPECT_NE(error_of([&] { kefu::rules::load_policy_file(dir.write("bad.yaml", bad)); }).find("'qualty' is not a value of category"),
            std::string::npos);
}

TEST(PolicyFromFacts, GivenVocabulary) {
  // The vocabulary of a rules directory, as triage passes it: text needs no file beside it.
  std::vector<kefu::rules::field> facts(2);
  facts[0].name = "category";
  facts[0].type = kefu::rules::value_type::enumeration;
  facts[0].values = {"quality", "other"};
  facts[1].name = "tags";
  facts[1].type = kefu::rules::value_type::set;
  facts[1].values = {"vip"};
  const auto p = kefu::rules::load_policy_string(policy_yaml, "returns.yaml", facts);
  EXPECT_EQ(values_of(*p, "category"), (std::vector<std::string>{"quality", "other"}));
  EXPECT_EQ(values_of(*p, "tags"), (std::vector<std::string>{"vip"}));
}

TEST(PolicyFromFacts, WithoutAVocabularyItIsAClearError) {
  scratch_dir dir;
  const auto path = dir.write("returns.yaml", policy_yaml);
  EXPECT_EQ(error_of([&] { kefu::rules::load_policy_file(path); }),
            path + ":3:34: input 'category' takes `values: from facts`, but there is no facts file (one starting with "
                   "`facts:`) beside it in " + dir.path.generic_string() + ": load it with its rules directory, or list its values");
  EXPECT_EQ(id_of([&] { kefu::rules::load_policy_file(path); }), "kefu.rules.from_facts");
  EXPECT_EQ(error_of([&] { kefu::rules::load_policy_string(policy_yaml, "returns.yaml"); }),
            "returns.yaml:3:34: input 'category' takes `values: from facts`, but a policy read from text has no facts "
            "vocabulary: load it from its rules directory, or list its values");
  try {
    kefu::rules::load_policy_string(policy_yaml, "returns.yaml");
    FAIL();
  } catch (const kefu::policy_error& e) {
    EXPECT_EQ(e.id(), "kefu.rules.from_facts");
    EXPECT_EQ(e.line(), 3);
  }
}

TEST(PolicyFromFacts, TheFactMustExistWithTheSameType) {
  scratch_dir dir;
  dir.write("facts.yaml", "facts: shop\nfields:\n  categry: {type: enum, values: [a]}\n  tags: {type: int}\n");
  const auto path = dir.write("returns.yaml", policy_yaml);
  const std::string facts = (dir.path / "facts.yaml").generic_string();
  EXPECT_EQ(error_of([&] { kefu::rules::load_policy_file(path); }),
            path + ":3:34: input 'category' takes `values: from facts`, but the facts vocabulary (" + facts +
                ") has no field 'category' (did you mean 'categry'?)");
  dir.write("facts.yaml", "facts: shop\nfields:\n  category: {type: enum, values: [a]}\n  tags: {type: int}\n");
  EXPECT_EQ(error_of([&] { kefu::rules::load_policy_file(path); }),
            path + ":4:29: input 'tags' takes `values: from facts`, but fact 'tags' (" + facts + ":4) is int, not set");
  EXPECT_EQ(id_of([&] { kefu::rules::load_policy_file(path); }), "kefu.rules.from_facts");
  // A broken facts file is named from the policy's line.
  dir.write("facts.yaml", "facts: shop\nfields:\n  category: {type: enum}\n");
  EXPECT_NE(error_of([&] { kefu::rules::load_policy_file(path); })
                .find("input 'category' takes `values: from facts`, but the facts file does not load: "),
            std::string::npos);
  // Two vocabularies in one directory: which one is meant is not guessed.
  dir.write("facts.yaml", facts_yaml);
  dir.write("more-facts.yaml", facts_yaml);
  EXPECT_NE(error_of([&] { kefu::rules::load_policy_file(path); }).find("there are two facts files beside it"), std::string::npos);
}

TEST(PolicyFromFacts, OnlyInputsTakeIt) {
  const std::string output = "policy: p\ninputs: {n: int}\noutputs:\n  kind: {type: enum, values: from facts}\nrules:\n"
                             "  - {id: A, when: true, then: {kind: a}}\n";
  EXPECT_EQ(error_of([&] { kefu::rules::load_policy_string(output, "p.yaml", {}); }),
            "p.yaml:4:30: only policy inputs take `values: from facts`; list the values of output 'kind'");
  const std::string in_facts = "facts: shop\nfields:\n  kind: {type: enum, values: from facts}\n";
  scratch_dir dir;
  dir.write("facts.yaml", in_facts);
  dir.write("p.yaml", "policy: p\ninputs:\n  kind: {type: enum, values: from facts}\noutputs: {ok: bool}\nrules:\n"
                      "  - {id: A, when: true, then: {ok: true}}\n");
  EXPECT_NE(error_of([&] { kefu::rules::load_policy_file((dir.path / "p.yaml").generic_string()); })
                .find("only policy inputs take `values: from facts`; list the values of fact 'kind'"),
            std::string::npos);
}

TEST(PolicyFromFacts, TriageReadsTheDirectorysVocabularyWhereverThePolicyIs) {
  // The shipped policies take category (and business, channel) from rules/facts.yaml.
  const auto t = kefu::rules::triage_policy::load_directory(KEFU_TEST_RULES_DIR);
  const auto& category = t->facts()[t->fact_slot("category")].values;
  EXPECT_GT(category.size(), 20u);
  for (const auto& p : t->policies())
    for (const auto& in : p->inputs())
      if (in.name == "category" || in.name == "business" || in.name == "channel") {
        EXPECT_EQ(in.values, t->facts()[t->fact_slot(in.name)].values) << p->name();
      }
  EXPECT_EQ(values_of(*kefu::rules::load_policy_file(KEFU_TEST_RULES_DIR "/refund.yaml"), "category"), category);

  // A policy in a subdirectory: triage gives it the directory's vocabulary; alone, it has none beside it.
  scratch_dir dir;
  std::filesystem::copy(KEFU_TEST_RULES_DIR, dir.path, std::filesystem::copy_options::recursive);
  std::filesystem::create_directories(dir.path / "policies");
  std::filesystem::rename(dir.path / "refund.yaml", dir.path / "policies" / "refund.yaml");
  std::filesystem::remove_all(dir.path / "tests");
  const auto moved = kefu::rules::triage_policy::load_directory(dir.path.generic_string());
  EXPECT_EQ(moved->refund().inputs()[moved->refund().slot("category")].values, category);
  EXPECT_EQ(id_of([&] { kefu::rules::load_policy_file((dir.path / "policies" / "refund.yaml").generic_string()); }),
            "kefu.rules.from_facts");
}
