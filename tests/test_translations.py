"""The Dutch catalogue is complete, compiled, and covers every string in the code.

Dutch is the default language (ADR 0002): an untranslated string would show English to
residents, and a stale .mo would show old text. These tests fail on either.
"""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

import samenspraak

PACKAGE = Path(samenspraak.__file__).parent
PO = PACKAGE / "locale/nl/LC_MESSAGES/django.po"
MO = PACKAGE / "locale/nl/LC_MESSAGES/django.mo"


def test_every_dutch_entry_is_translated_and_not_fuzzy():
    po = polib.pofile(str(PO))
    assert len(po) > 100
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in polib.pofile(str(PO)):
        if entry.msgid_plural:
            got = (
                compiled.ngettext(entry.msgid, entry.msgid_plural, 1),
                compiled.ngettext(entry.msgid, entry.msgid_plural, 2),
            )
            want = (entry.msgstr_plural[0], entry.msgstr_plural[1])
        else:
            got, want = compiled.gettext(entry.msgid), entry.msgstr
        if got != want:
            stale.append(entry.msgid)
    assert stale == [], "run `make messages`: the .mo file is older than the .po file"


def test_catalogue_has_every_string_of_the_code(tmp_path):
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is needed in CI to check the catalogue.")
        pytest.skip("GNU gettext not installed: `apt-get install gettext` to check the catalogue.")
    copy = tmp_path / "samenspraak"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    # makemessages writes into LOCALE_PATHS: point it at the copy, never the real catalogue.
    script = (
        "import django, sys; from django.conf import settings; django.setup();"
        f"settings.LOCALE_PATHS = [{str(copy / 'locale')!r}];"
        "from django.core.management import call_command;"
        "call_command('makemessages', locale=['nl'], no_obsolete=True, no_location=True,"
        " verbosity=0)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="samenspraak.config.settings.test",
        SAMENSPRAAK_VAR_DIR=str(tmp_path / "var"),
    )
    subprocess.run([sys.executable, "-c", script], cwd=copy, env=env, check=True)
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/nl/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(PO))}
    assert sorted(fresh - committed) == [], "strings missing from the catalogue: `make messages`"


def test_every_translation_is_ours_not_a_guess_of_msgmerge():
    # msgmerge fills new strings with "fuzzy" guesses from similar ones ("number" became
    # "telefoonnummer" once); only tools/nl_translations.py may supply the Dutch.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
    from nl_translations import NL

    wrong = []
    for entry in polib.pofile(str(PO)):
        if entry.msgid_plural:
            plural = NL.get((entry.msgid, entry.msgid_plural))
            want = tuple(plural) if plural else None
            got: object = (entry.msgstr_plural.get(0), entry.msgstr_plural.get(1))
        else:
            want, got = NL.get(entry.msgid), entry.msgstr
        if want is None or want != got:
            wrong.append(entry.msgid)
    assert wrong == []
