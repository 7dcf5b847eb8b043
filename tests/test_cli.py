"""The ``samenspraak`` command line lists Django's commands and Samenspraak's own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _help(command: list[str], tmp_path: Path) -> set[str]:
    # A private var/ directory, so the run cannot write a secret key into the checkout.
    env = {**os.environ, "SAMENSPRAAK_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [*command, "--help"], capture_output=True, text=True, env=env, timeout=120, check=True
    )
    return {line.strip() for line in result.stdout.splitlines()}


def test_module_help_lists_run_demo_and_migrate(tmp_path):
    listed = _help([sys.executable, "-m", "samenspraak.cli"], tmp_path)
    assert {"run", "demo", "migrate"} <= listed


def test_console_script_help_lists_run_demo_and_migrate(tmp_path):
    script = Path(sys.executable).parent / "samenspraak"
    if not script.exists():
        pytest.skip("the console script is not installed next to this Python")
    listed = _help([str(script)], tmp_path)
    assert {"run", "demo", "migrate"} <= listed
