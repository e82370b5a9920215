"""Test settings shared by every Python test.

Hypothesis profiles, chosen by the environment variable KEFU_HYPOTHESIS_PROFILE (``make test`` sets ``ci``):

- ``ci``: the examples are derived from each test's name (``derandomize``), so a run on the build machine is
  reproducible from the commit alone; a failure prints the falsifying example and the ``@reproduce_failure``
  blob that replays it (``print_blob``). No example database is read or written. The deadline is 5 s per example: the build
  machine has two cores shared by several engineers, where a deadline of Hypothesis' default 200 ms fails
  tests by timing rather than by behaviour, while 5 s still catches a hang. The "too slow" health check is
  off for the same reason.
- ``dev`` (the default): random examples (new ones each run, failures remembered in ``.hypothesis/``), a
  failure prints its example and ``@reproduce_failure`` blob too (``print_blob``; ``pytest --hypothesis-seed=N``
  fixes the seed of a whole run), the same deadline.

A test's own ``@settings(...)`` override these field by field (``deadline=None``, ``max_examples=…``).
"""

from __future__ import annotations

import datetime as _dt
import os

import pytest
from hypothesis import HealthCheck, settings

_DEADLINE = _dt.timedelta(seconds=5)

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    print_blob=True,
    deadline=_DEADLINE,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev",
    print_blob=True,
    deadline=_DEADLINE,
    suppress_health_check=[HealthCheck.too_slow],
)

PROFILE = os.environ.get("KEFU_HYPOTHESIS_PROFILE", "dev")
settings.load_profile(PROFILE)


def pytest_report_header(config):
    return f"hypothesis profile: {PROFILE} (KEFU_HYPOTHESIS_PROFILE)"


@pytest.fixture(autouse=True)
def _english_unless_asked(monkeypatch):
    """Tests pin English output: the CLI's language must not follow the machine's locale (a developer's
    zh_CN.UTF-8), so every test runs with KEFU_LANG=en; the language tests set or remove it themselves."""
    monkeypatch.setenv("KEFU_LANG", "en")
