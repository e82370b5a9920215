"""C++ errors reach Python as kefu exception classes that keep their fields."""

from pathlib import Path

import pytest

import kefu


def test_hierarchy():
    assert issubclass(kefu.ParseError, kefu.Error)
    assert issubclass(kefu.ParseError, ValueError)
    assert issubclass(kefu.PolicyError, kefu.Error)
    assert issubclass(kefu.Error, Exception)
    assert kefu.Error.__module__ == "kefu"


def test_yaml_syntax_error_keeps_file_line_column(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("policy: refund\nrules:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(kefu.ParseError) as info:
        kefu.scan_rules(tmp_path)
    e = info.value
    assert e.file == bad.as_posix()
    assert (e.line, e.column) == (3, 9)
    assert e.rule_id is None
    assert e.detail == "invalid YAML: '[' is not closed (add the matching ']')"
    assert str(e) == f"{bad.as_posix()}:3:9: {e.detail}"


def test_policy_error_names_the_unknown_kind(tmp_path: Path):
    (tmp_path / "x.yaml").write_text("# note\npolcy: refund\n", encoding="utf-8")
    with pytest.raises(kefu.PolicyError) as info:
        kefu.scan_rules(tmp_path)
    assert (info.value.line, info.value.column) == (2, 1)
    assert info.value.detail == (
        "unknown rules document kind 'polcy': the first key must be one of calendar, policy, scorecard, targets, suite, facts, clocks"
    )


def test_errors_raised_from_python_have_empty_fields():
    e = kefu.PolicyError("made by hand")
    assert (e.file, e.line, e.column, e.rule_id) == (None, None, None, None)
