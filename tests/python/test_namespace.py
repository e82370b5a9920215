"""`import kefu` exposes kefu's names: everything public is in __all__ or a kefu submodule, nothing borrowed
(Path, Any, the `annotations` future flag) leaks into the namespace (#14)."""

from __future__ import annotations

import types

import kefu


def test_the_top_level_namespace_holds_only_kefus_names():
    leaked = [name for name in dir(kefu) if not name.startswith("_") and name not in kefu.__all__
              and not (isinstance(getattr(kefu, name), types.ModuleType) and getattr(kefu, name).__name__.startswith("kefu."))]
    assert leaked == []
    assert all(hasattr(kefu, name) for name in kefu.__all__)
