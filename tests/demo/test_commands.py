"""``samenspraak demo`` and ``samenspraak run`` (the server itself is never started here)."""

from __future__ import annotations

import errno
from io import StringIO

import pytest
import waitress
from django.core.management import call_command
from django.core.management.base import CommandError

from samenspraak.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from samenspraak.demo.management.commands.run import server_url
from samenspraak.processes.models import Process


def _call(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


@pytest.fixture
def served(monkeypatch):
    """Replace waitress.serve: record what would be served instead of listening."""
    calls = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: calls.append((app, kw)))
    return calls


@pytest.mark.django_db
def test_demo_loads_the_cases_and_prints_every_login():
    output = _call("demo")
    assert Process.objects.count() == 4
    assert "processes: 4 created" in output
    # The later capabilities say what they loaded too (counted from the rows, not assumed).
    from samenspraak.consultations.models import Consultation
    from samenspraak.partners.models import Partner
    from samenspraak.tenders.models import Agreement, Tender

    for kind, model in (
        ("consultations", Consultation),
        ("partners", Partner),
        ("tenders", Tender),
        ("agreements", Agreement),
    ):
        assert f"{kind}: {model.objects.count()} created, 0 already there" in output
    for account in DEMO_ACCOUNTS:
        line = next(line for line in output.splitlines() if line.startswith(account.email))
        assert account.role_label in line
        assert DEMO_PASSWORD in line


@pytest.mark.django_db
def test_demo_twice_reports_that_nothing_was_created():
    _call("demo")
    output = _call("demo")
    assert "processes: 0 created, 4 already there" in output
    assert "tenders: 0 created, 2 already there" in output
    assert Process.objects.count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize("port", ["0", "70000", "-1"])
def test_run_refuses_a_port_outside_1_to_65535(port, served):
    with pytest.raises(CommandError, match=r"Poort .* \(Port .* 65535"):
        _call("run", "--port", port)
    assert served == []
    assert not Process.objects.exists()  # refused before migrating or loading anything


@pytest.mark.django_db
def test_run_migrates_loads_the_demo_and_serves_with_waitress(served, settings):
    settings.DEBUG = True
    output = _call("run", "--host", "localhost", "--port", "8123")
    assert Process.objects.count() == 4
    assert "http://localhost:8123/" in output
    assert all(account.email in output for account in DEMO_ACCOUNTS)
    [(app, kwargs)] = served
    assert callable(app)
    assert kwargs == {"host": "localhost", "port": 8123, "threads": 8}


@pytest.mark.django_db
def test_run_without_demo_loads_nothing(served, settings):
    settings.DEBUG = True
    output = _call("run", "--no-demo")
    assert not Process.objects.exists()
    assert "http://127.0.0.1:8000/" in output
    assert DEMO_PASSWORD not in output
    assert served[0][1]["port"] == 8000


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_run_collects_static_files_only_when_debug_is_off(debug, served, settings, tmp_path):
    settings.DEBUG = debug
    settings.STATIC_ROOT = tmp_path / "static"
    _call("run", "--no-demo")
    collected = (tmp_path / "static").exists() and any((tmp_path / "static").iterdir())
    assert collected is not debug


@pytest.mark.django_db
def test_run_explains_a_port_in_use(monkeypatch, settings):
    settings.DEBUG = True

    def busy(app, **kw):
        raise OSError(errno.EADDRINUSE, "Address already in use")

    monkeypatch.setattr(waitress, "serve", busy)
    with pytest.raises(CommandError, match="--port"):
        _call("run", "--no-demo", "--port", "8123")


def test_server_url_brackets_ipv6_hosts():
    assert server_url("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert server_url("::1", 8080) == "http://[::1]:8080/"
