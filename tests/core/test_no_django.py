"""samenspraak.core stays pure Python: importing all of it loads neither Django nor the apps.

Complements the import-linter contract in pyproject.toml, which checks the imports written
in the source; this checks what actually ends up loaded at run time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

SCRIPT = """
import importlib, json, pkgutil, sys
import samenspraak.core as core
names = [m.name for m in pkgutil.walk_packages(core.__path__, "samenspraak.core.")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"imported": names, "loaded": sorted(sys.modules)}))
"""

FORBIDDEN = ("django", "rules", "django_htmx", "rest_framework")
FORBIDDEN_PACKAGE_PARTS = (
    "samenspraak.config",
    "samenspraak.common",
    "samenspraak.accounts",
    "samenspraak.processes",
    "samenspraak.demo",
    "samenspraak.cli",
)


def test_importing_every_core_module_loads_no_django():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    # The walk really found the core modules (otherwise this test would prove nothing).
    assert {
        "samenspraak.core.money",
        "samenspraak.core.frameworks",
        "samenspraak.core.errors",
    } <= set(report["imported"])
    loaded = report["loaded"]
    assert "django" not in loaded
    offenders = [
        name
        for name in loaded
        if name.split(".")[0] in FORBIDDEN or name.startswith(FORBIDDEN_PACKAGE_PARTS)
    ]
    assert offenders == []
