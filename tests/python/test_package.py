"""The installed package: version, native module, stubs, shipped rules and data, the CLI."""

import re
import subprocess
import sys
from pathlib import Path

import kefu
import kefu._core


def test_version_matches_the_header():
    header = Path(__file__).resolve().parents[2] / "include" / "kefu" / "version.hpp"
    assert f'#define KEFU_VERSION_STRING "{kefu.__version__}"' in header.read_text()
    assert kefu._core.__version__ == kefu.__version__


def test_typed_package_ships_stubs():
    package = Path(kefu.__file__).parent
    assert (package / "py.typed").is_file()
    assert (package / "_core.pyi").is_file()


def test_stubs_name_every_public_native_symbol():
    stub = (Path(kefu.__file__).parent / "_core.pyi").read_text()
    public = [n for n in dir(kefu._core) if not n.startswith("_")]
    # classes, functions, and module attributes (`default_star_min_tickets: int`) at the stub's top level
    declared = set(re.findall(r"^(?:class |def )?(\w+)\b", stub, re.M))
    missing = [n for n in public if n not in declared]
    assert missing == []


def test_default_rules_are_inside_the_package():
    rules = kefu.default_rules_dir()
    assert rules.is_relative_to(Path(kefu.__file__).parent)
    names = {(d.kind, d.name) for d in kefu.scan_rules()}
    assert ("calendar", "cn-mainland") in names


def _kefu(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kefu", *args], capture_output=True, text=True, check=False)


def test_cli_version_and_help():
    assert _kefu("--version").stdout.strip() == f"kefu {kefu.__version__}"
    helped = _kefu("--help")
    assert helped.returncode == 0 and "demo" in helped.stdout and "rules" in helped.stdout


def test_cli_rules_reports_errors_with_location(tmp_path):
    (tmp_path / "bad.yaml").write_text("calendar: [\n", encoding="utf-8")
    result = _kefu("rules", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr == f"kefu: error: {(tmp_path / 'bad.yaml').as_posix()}:1:11: invalid YAML: '[' is not closed (add the matching ']')\n"


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "kefu"
    assert script.is_file()
    assert subprocess.run([str(script), "--version"], capture_output=True, text=True).stdout.startswith("kefu ")
