"""The layering of include/kefu (docs/architecture.md): no header includes a layer above its own, none
reaches into Python, YAML or JSON libraries, and the umbrella header includes the whole public API."""

from __future__ import annotations

import re
from pathlib import Path

INCLUDE = Path(__file__).resolve().parents[2] / "include" / "kefu"

# What each layer may include (besides itself). "base" = the vocabulary headers at the top of include/kefu.
ALLOWED = {
    "base": {"base", "detail"},
    "detail": {"detail", "base"},
    "calendar": {"calendar", "base", "detail"},
    "rules": {"rules", "calendar", "base", "detail"},
    "kpi": {"kpi", "calendar", "base", "detail"},
    "ticket": {"ticket", "rules", "calendar", "base", "detail"},
}
# Libraries that stay out of the public headers (yaml-cpp and JSON live in src/, Python in bindings/).
FORBIDDEN = ("yaml-cpp/", "pybind11/", "Python.h", "nlohmann/", "boost/msm/")

INCLUDE_LINE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.MULTILINE)


def layer_of(header: Path) -> str:
    parts = header.relative_to(INCLUDE).parts
    return "base" if len(parts) == 1 else parts[0]


def public_headers() -> list[Path]:
    return sorted(p for p in INCLUDE.rglob("*.hpp") if p.name != "kefu.hpp")


def test_no_header_includes_a_layer_above_its_own():
    wrong = []
    for header in public_headers():
        layer = layer_of(header)
        for target in INCLUDE_LINE.findall(header.read_text(encoding="utf-8")):
            if any(bad in target for bad in FORBIDDEN):
                wrong.append(f"{header.relative_to(INCLUDE)} includes {target} (keep it out of include/kefu)")
            if not target.startswith("kefu/"):
                continue
            included = INCLUDE.parent / target
            assert included.is_file(), f"{header.relative_to(INCLUDE)} includes {target}, which does not exist"
            if layer_of(included) not in ALLOWED[layer]:
                wrong.append(f"{header.relative_to(INCLUDE)} ({layer}) includes {target} ({layer_of(included)})")
    assert not wrong, "layering violations:\n" + "\n".join(wrong)


def test_the_umbrella_header_includes_the_whole_public_api():
    umbrella = set(INCLUDE_LINE.findall((INCLUDE / "kefu.hpp").read_text(encoding="utf-8")))
    public = {f"kefu/{p.relative_to(INCLUDE).as_posix()}" for p in public_headers() if "detail" not in p.parts}
    assert public - umbrella == set(), "add these to include/kefu/kefu.hpp"
    assert umbrella - public == set(), "kefu.hpp includes headers that are not public"


def test_the_checker_sees_a_violation(tmp_path):
    # The rule table itself: a calendar header including a rules header would be refused.
    assert "rules" not in ALLOWED["calendar"] and "ticket" not in ALLOWED["rules"] and "kpi" not in ALLOWED["ticket"]
    assert layer_of(INCLUDE / "rules" / "policy.hpp") == "rules" and layer_of(INCLUDE / "error.hpp") == "base"
