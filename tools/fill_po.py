"""Apply tools/nl_translations.py to the Dutch .po file; report what is still untranslated.

Run by `make messages` after makemessages, before compilemessages.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

sys.path.insert(0, str(Path(__file__).parent))
from nl_translations import NL

PO = Path(__file__).resolve().parents[1] / "src/samenspraak/locale/nl/LC_MESSAGES/django.po"


def main() -> int:
    po = polib.pofile(str(PO))
    po.metadata["Language"] = "nl"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    missing = []
    for entry in po:
        supplied = False
        if entry.msgid_plural:
            key = (entry.msgid, entry.msgid_plural)
            if key in NL:
                singular, plural = NL[key]
                entry.msgstr_plural = {0: singular, 1: plural}
                supplied = True
        elif entry.msgid in NL:
            entry.msgstr = NL[entry.msgid]
            supplied = True
        # A fuzzy entry is msgmerge's guess; only our own translation may replace it.
        if supplied and "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        if not entry.translated():
            missing.append(entry.msgid)
    po.save(str(PO))
    for msgid in missing:
        print(f"untranslated: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
