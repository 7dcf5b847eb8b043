"""One helper reads every setting from the environment (12-factor).

Each variable is documented in .env.example; the cast follows the type of the default,
as in Open Forms' ``config()`` helper.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on", "ja", "waar"}
FALSE_VALUES = {"0", "false", "no", "off", "nee", "onwaar", ""}


def config(name: str, default: Any = None, *, split: bool = False) -> Any:
    """Read ``name`` from the environment, cast like ``default``; lists when ``split``."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    raw = raw.strip()
    if split:
        return [part.strip() for part in raw.split(",") if part.strip()]
    if isinstance(default, bool):
        lowered = raw.lower()
        if lowered in TRUE_VALUES:
            return True
        if lowered in FALSE_VALUES:
            return False
        raise ImproperlyConfigured(
            f"{name}={raw!r} is geen ja/nee-waarde (is not a boolean): use true or false."
        )
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{name}={raw!r} is geen geheel getal (is not an integer)."
            ) from exc
    return raw


def local_secret_key(var_dir: Path) -> str:
    """A secret key generated once and kept under var/, for local (DEBUG) runs only."""
    path = var_dir / "secret_key.txt"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key + "\n", encoding="utf-8")
    path.chmod(0o600)
    return key
