#include <kefu/rules/catalog.hpp>

#include "calendar_test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {
/// A rules directory of the test's own (unique per run, removed at the end).
using temp_rules_dir = kefu_test::scratch_dir;

std::string error_of(const std::string& dir) {
  try {
    kefu::rules::scan_rules_directory(dir);
  } catch (const kefu::error& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(Catalog, SummarisesTheShippedRules) {
  const auto docs = kefu::rules::scan_rules_directory(KEFU_TEST_RULES_DIR);
  const auto cn = std::find_if(docs.begin(), docs.end(), [](const auto& d) { return d.name == "cn-mainland"; });
  ASSERT_NE(cn, docs.end());
  EXPECT_EQ(cn->kind, kefu::rules::document_kind::calendar);
  EXPECT_EQ(cn->path, "calendars/cn-mainland.yaml");
  EXPECT_GT(cn->entries, 100u);  // holidays and make-up workdays since 2004
}

TEST(Catalog, ReadsKindNameVersionAndCounts) {
  temp_rules_dir d;
  d.write("b/refund.yaml", "policy: refund\nversion: '2'\ndescription: 退款\nrules:\n  - id: A\n  - id: B\n");
  d.write("a.yml", "suite: refund cases\ncases: [{}, {}, {}]\n");
  d.write("notes.txt", "not yaml: [");
  const auto docs = kefu::rules::scan_rules_directory(d.path.string());
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].path, "a.yml");
  EXPECT_EQ(docs[0].kind, kefu::rules::document_kind::suite);
  EXPECT_EQ(docs[0].entries, 3u);
  EXPECT_EQ(docs[1].path, "b/refund.yaml");
  EXPECT_EQ(docs[1].name, "refund");
  EXPECT_EQ(docs[1].version, "2");  // never YAML-typed: '2' and 2 both read as the text 2
  EXPECT_EQ(docs[1].description, "退款");
  EXPECT_EQ(docs[1].entries, 2u);
}

TEST(Catalog, SyntaxErrorsPointAtFileLineAndColumn) {
  temp_rules_dir d;
  d.write("bad.yaml", "policy: refund\nrules:\n  - id: [unclosed\n");
  const std::string file = (d.path / "bad.yaml").generic_string();
  // The unclosed '[' is reported where it opens, not where yaml-cpp gave up.
  EXPECT_EQ(error_of(d.path.string()), file + ":3:9: invalid YAML: '[' is not closed (add the matching ']')");
}

TEST(Catalog, UnknownKindNamesTheKey) {
  temp_rules_dir d;
  d.write("x.yaml", "# comment\npolcy: refund\n");
  EXPECT_EQ(error_of(d.path.string()),
            (d.path / "x.yaml").generic_string() +
                ":2:1: unknown rules document kind 'polcy': the first key must be one of calendar, policy, "
                "scorecard, targets, suite, facts, clocks");
}

TEST(Catalog, MissingDirectoryIsAnError) {
  EXPECT_EQ(error_of("/nonexistent/kefu-rules"), "rules directory '/nonexistent/kefu-rules' does not exist or is not a directory");
}
