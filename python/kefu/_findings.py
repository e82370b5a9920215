"""Findings of the rule authors' tools (``kefu lint``, ``kefu test``): file, line and column of every problem,
so editors and CI can point at it; and the rules files a command reads. Internal: use :mod:`kefu.authoring`."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ._core import Error
from .i18n import localize_error

@dataclass
class Finding:
    """One error or warning of ``kefu lint``."""

    file: str
    line: int | None
    column: int | None
    severity: str  # "error" | "warning"
    message: str
    rule_id: str | None = None
    check: str | None = None
    source_line: str | None = None  # the line of the file the finding points at
    id: str | None = None  # the error's stable id (docs/errors.md), or "kefu.lint.<check>" for a warning

    def __post_init__(self) -> None:
        if self.id is None and self.check:
            self.id = f"kefu.lint.{self.check.replace('-', '_')}"

    def caret(self) -> str:
        """The source line and a caret under the column, as compilers show them (wide CJK characters
        take two columns in a terminal)."""
        if self.source_line is None:
            return ""
        text = self.source_line.rstrip("\n")
        if not self.column:
            return f"    {text}\n"
        width = sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text[: self.column - 1])
        return f"    {text}\n    {' ' * width}^\n"

    def __str__(self) -> str:
        return self.text()

    def text(self, lang: str = "en") -> str:
        """``file:line:col: severity: rule X: message [check]``, the message (and ``rule X: ``) in `lang`; the
        location, the severity word and the check stay English, for editors' problem matchers."""
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        zh = lang == "zh"
        rule = (f"规则 {self.rule_id}：" if zh else f"rule {self.rule_id}: ") if self.rule_id else ""
        check = f" [{self.check}]" if self.check else ""
        return f"{where}: {self.severity}: {rule}{localize_error(self.message, self.id, lang)}{check}"


def yaml_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Every *.yaml / *.yml file named or below the directories named, sorted, without duplicates."""
    found: set[Path] = set()
    for p in map(Path, paths):
        if p.is_dir():
            found.update(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml") and q.is_file())
        elif p.exists():
            found.add(p)
        else:
            raise FileNotFoundError(f"no such file or directory: {p}")
    return sorted(found)


def _source_line(file: str, line: int | None) -> str | None:
    if not line:
        return None
    try:
        lines = Path(file).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return lines[line - 1] if 0 < line <= len(lines) else None


def _from_error(e: Error, path: Path) -> Finding:
    file = e.file or str(path)
    return Finding(file, e.line, e.column, "error", e.detail or str(e), e.rule_id, None, _source_line(file, e.line),
                   getattr(e, "id", None))

