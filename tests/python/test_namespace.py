"""`import kefu` exposes kefu's names: everything public is in __all__ or a kefu submodule, nothing borrowed
(Path, Any, the `annotations` future flag) leaks into the namespace (#14).

The public API is ``kefu.__all__`` and the ``__all__`` of the public submodules below. Every public class,
function, method and property has a docstring (``help()`` explains it), and no public signature says ``object``
where kefu takes or gives a real type (``help()`` shows pybind11's signatures; ``object`` there tells a user
nothing).
"""

from __future__ import annotations

import importlib
import inspect
import re
import types
from collections.abc import Iterator

import pytest

import kefu

#: The documented submodules (README, docs/*.md). kefu.cli, kefu.demo, kefu.report, kefu.notices and
#: kefu.calendar_info are the command line's own.
PUBLIC_MODULES = ("kefu", "kefu.kpi", "kefu.tickets", "kefu.diff", "kefu.dask", "kefu.authoring", "kefu.lifecycle",
                  "kefu.simulate")

#: Members without a docstring of their own, and why.
UNDOCUMENTED_ALLOWED = {
    # pybind11's enum machinery adds these to every enum; the enum's docstring lists its values.
    "kefu.Clock.name", "kefu.Clock.value", "kefu.Clock.__init__",
}
#: Public callables whose signature may say `object`, and why.
OBJECT_ALLOWED = {
    # pybind11's enum machinery: `name(self: object, /) -> str`.
    "kefu.Clock.name",
}


def test_the_top_level_namespace_holds_only_kefus_names():
    leaked = [name for name in dir(kefu) if not name.startswith("_") and name not in kefu.__all__
              and not (isinstance(getattr(kefu, name), types.ModuleType) and getattr(kefu, name).__name__.startswith("kefu."))]
    assert leaked == []
    assert all(hasattr(kefu, name) for name in kefu.__all__)


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_public_modules_declare_their_names(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__doc__, f"{name} has no module docstring"
    assert isinstance(getattr(module, "__all__", None), list), f"{name} has no __all__"
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert missing == []
    assert len(set(module.__all__)) == len(module.__all__)


def _is_native(obj: object) -> bool:
    return type(obj).__name__ in ("builtin_function_or_method", "instancemethod") or \
        type(obj).__module__ == "kefu._core"


def _members() -> Iterator[tuple[str, object]]:
    """(qualified name, object) for every public callable, class, method and property."""
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or callable(obj)) or type(obj).__module__ in ("typing", "types"):
                continue  # constants and type aliases: documented with `#:` comments beside them
            qual = f"{module_name}.{name}"
            yield qual, obj
            if not inspect.isclass(obj):
                continue
            native = obj.__module__ == "kefu._core"
            for attr, value in vars(obj).items():
                if attr.startswith("_") and not (attr == "__init__" and native):
                    continue
                if isinstance(value, (staticmethod, classmethod)):
                    value = value.__func__
                if isinstance(value, property) or callable(value):
                    yield f"{qual}.{attr}", value


MEMBERS = list(_members())


def test_the_walk_finds_the_api() -> None:
    names = {q for q, _ in MEMBERS}
    assert {"kefu.Policy.triage", "kefu.Policy.load", "kefu.Ticket.__init__", "kefu.TriageResult.tier",
            "kefu.kpi.kpis", "kefu.tickets.read_tickets", "kefu.Calendar.add"} <= names
    assert len(MEMBERS) > 300


def test_every_public_member_has_a_docstring() -> None:
    undocumented = []
    for qual, obj in MEMBERS:
        doc = obj.__doc__ if isinstance(obj, property) else inspect.getdoc(obj)
        text = (doc or "").strip()
        if _is_native(obj) or isinstance(obj, property):
            # pybind11 docstrings start with the signature(s); what follows is the documentation.
            text = "\n".join(line for line in text.splitlines()
                             if not re.match(r"^(\d+\. )?\w*\(.*\)( -> .*)?$", line.strip())
                             and line.strip() != "Overloaded function.").strip()
        if not text and qual not in UNDOCUMENTED_ALLOWED:
            undocumented.append(qual)
    assert undocumented == []


def _signatures(obj: object) -> list[str]:
    """The signatures a user sees in help(): pybind11's (first docstring lines) or inspect's."""
    if isinstance(obj, property):
        obj = obj.fget
    if obj is None:
        return []
    if _is_native(obj) or not hasattr(obj, "__code__") and not inspect.isclass(obj):
        doc = getattr(obj, "__doc__", None) or ""
        return [line.strip() for line in doc.splitlines() if re.match(r"^(\d+\. )?\w*\(.*\)( -> .*)?$", line.strip())]
    try:
        return [str(inspect.signature(obj))]
    except (TypeError, ValueError):
        return []


def test_no_public_signature_says_object() -> None:
    found = [f"{qual}: {sig}" for qual, obj in MEMBERS if qual not in OBJECT_ALLOWED
             for sig in _signatures(obj) if re.search(r"(?<![\w.])object(?![\w.])", sig)]
    assert found == []


def test_the_check_sees_pybind11_signatures() -> None:
    """A broken signature parser would make the test above pass on anything."""
    sigs = _signatures(kefu.Policy.triage)
    assert sigs and "facts: collections.abc.Mapping[str, typing.Any]" in sigs[0]
    assert _signatures(kefu.Calendar.first_date) == ["(self: kefu._core.Calendar) -> datetime.date"] or \
        _signatures(kefu.Calendar.first_date) == ["(arg0: kefu._core.Calendar) -> datetime.date"]
