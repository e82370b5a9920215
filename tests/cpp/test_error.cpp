#include <kefu/error.hpp>

#include <gtest/gtest.h>

TEST(Error, RendersLocationAndRuleLikeACompiler) {
  const kefu::policy_error e("unknown input 'day_since'", {"refund.yaml", 42, 9}, "REF-QUALITY-7D");
  EXPECT_STREQ(e.what(), "refund.yaml:42:9: rule REF-QUALITY-7D: unknown input 'day_since'");
  EXPECT_EQ(e.file(), "refund.yaml");
  EXPECT_EQ(e.line(), 42);
  EXPECT_EQ(e.column(), 9);
  EXPECT_EQ(e.rule_id(), "REF-QUALITY-7D");
  EXPECT_EQ(e.detail(), "unknown input 'day_since'");
}

TEST(Error, LeavesOutWhatIsUnknown) {
  EXPECT_STREQ(kefu::error("plain").what(), "plain");
  EXPECT_STREQ(kefu::error("no column", {"a.yaml", 3, 0}).what(), "a.yaml:3: no column");
  EXPECT_STREQ(kefu::error("file only", {"a.yaml", 0, 0}).what(), "a.yaml: file only");
  EXPECT_STREQ(kefu::error("rule only", {}, "R1").what(), "rule R1: rule only");
}

TEST(Error, SubclassesAreCatchableAsStandardExceptions) {
  try {
    throw kefu::parse_error("bad");
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "bad");
    EXPECT_NE(dynamic_cast<const kefu::error*>(&e), nullptr);
  }
}
