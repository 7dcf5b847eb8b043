"""Settings come from the environment; production refuses to start half-configured."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from samenspraak.config.env import config, local_secret_key

VAR = "SAMENSPRAAK_TEST_SETTING"


@pytest.mark.parametrize("raw", ["1", "true", "True", "YES", "on", "ja", "waar", " true "])
def test_true_values(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert config(VAR, False) is True


@pytest.mark.parametrize("raw", ["0", "false", "FALSE", "no", "off", "nee", "onwaar", ""])
def test_false_values(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert config(VAR, True) is False


@pytest.mark.parametrize("raw", ["maybe", "misschien", "2", "truee"])
def test_not_a_boolean_is_refused(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured) as excinfo:
        config(VAR, True)
    assert VAR in str(excinfo.value)
    assert raw in str(excinfo.value)


def test_integers(monkeypatch):
    monkeypatch.setenv(VAR, " 31536000 ")
    assert config(VAR, 0) == 31_536_000
    monkeypatch.setenv(VAR, "-1")
    assert config(VAR, 5) == -1


def test_not_an_integer_is_refused(monkeypatch):
    monkeypatch.setenv(VAR, "een jaar")
    with pytest.raises(ImproperlyConfigured, match=VAR):
        config(VAR, 0)


def test_lists(monkeypatch):
    monkeypatch.setenv(VAR, " example.org, www.example.org ,,  ")
    assert config(VAR, [], split=True) == ["example.org", "www.example.org"]
    monkeypatch.setenv(VAR, "")
    assert config(VAR, ["default"], split=True) == []


def test_strings_are_stripped(monkeypatch):
    monkeypatch.setenv(VAR, "  Gemeente Zeist ")
    assert config(VAR, "Samenspraak") == "Gemeente Zeist"


def test_missing_gives_the_default_uncast(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)
    assert config(VAR, True) is True
    assert config(VAR, 7) == 7
    assert config(VAR, ["a"], split=True) == ["a"]
    assert config(VAR) is None


def test_local_secret_key_is_made_once_and_kept_private(tmp_path):
    var_dir = tmp_path / "var"
    first = local_secret_key(var_dir)
    assert len(first) >= 50
    assert local_secret_key(var_dir) == first
    assert (var_dir / "secret_key.txt").stat().st_mode & 0o077 == 0


# --- production settings, in a fresh interpreter -----------------------------------------


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # A clean slate: nothing this test run (or another test, e.g. the browser tests' async
    # switch DJANGO_ALLOW_ASYNC_UNSAFE) put in the environment may leak into "production".
    dropped = {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    env = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="samenspraak.config.settings.production",
        SAMENSPRAAK_VAR_DIR=str(tmp_path),
        **extra,
    )
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=300, check=False)


def test_production_refuses_to_start_without_secret_key(tmp_path):
    code = "import django; django.setup()"
    result = _run([sys.executable, "-c", code], _env(tmp_path, ALLOWED_HOSTS="example.org"))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr
    # And it did not quietly make a local key instead.
    assert not (tmp_path / "secret_key.txt").exists()


def test_production_starts_with_secret_key(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.ALLOWED_HOSTS)"
    )
    env = _env(tmp_path, SECRET_KEY=secrets.token_urlsafe(45), ALLOWED_HOSTS="example.org")
    result = _run([sys.executable, "-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True ['example.org']"


def test_production_passes_the_deploy_check(tmp_path):
    script = Path(sys.executable).parent / "samenspraak"
    assert script.exists(), f"the console script is not installed at {script}"
    secret_key = secrets.token_urlsafe(45)
    assert len(secret_key) == 60
    env = _env(tmp_path, SECRET_KEY=secret_key, ALLOWED_HOSTS="example.org")
    result = _run([str(script), "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_with_a_weak_key(tmp_path):
    # The check above can fail: a short key is reported (security.W009).
    script = Path(sys.executable).parent / "samenspraak"
    env = _env(tmp_path, SECRET_KEY="kort", ALLOWED_HOSTS="example.org")
    result = _run([str(script), "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr
