"""Exports of a Programme of Requirements: the CSV parses (Excel-Dutch), the PDF has a text
layer with "€" and accented letters, the standalone HTML carries the requirements."""

from __future__ import annotations

import csv
import io
import re
import zlib

import pytest

from samenspraak.proposals import services
from tests.proposals.conftest import REQUIREMENTS

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF written by fpdf2 with an embedded TrueType font.

    fpdf2 writes text as 2-byte glyph codes in literal strings (``(...) Tj``) inside
    compressed content streams, and maps the codes back to Unicode in a ToUnicode CMap
    (``bfchar`` pairs). Reading both is enough to get the words back without a PDF library.
    """
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, uni in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(uni.decode()).decode("utf-16-be")
    lines = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            stream = zlib.decompress(raw)
        except zlib.error:
            continue
        for literal in _tj_strings(stream):
            codes = [int.from_bytes(literal[i : i + 2], "big") for i in range(0, len(literal), 2)]
            lines.append("".join(mapping.get(c, "?") for c in codes))
    return "\n".join(lines)


def _tj_strings(stream: bytes) -> list[bytes]:
    """The literal strings shown by ``Tj``, with PDF escapes undone."""
    found = []
    i = 0
    while True:
        start = stream.find(b"(", i)
        if start < 0:
            return found
        out, j, depth = bytearray(), start + 1, 1
        while j < len(stream):
            ch = stream[j]
            if ch == 0x5C:  # backslash
                nxt = stream[j + 1]
                simple = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
                if nxt in simple:
                    out.append(simple[nxt])
                    j += 2
                elif 0x30 <= nxt <= 0x37:
                    digits = re.match(rb"[0-7]{1,3}", stream[j + 1 : j + 4]).group()
                    out.append(int(digits, 8))
                    j += 1 + len(digits)
                else:
                    out.append(nxt)
                    j += 2
                continue
            if ch == 0x28:
                depth += 1
            elif ch == 0x29:
                depth -= 1
                if depth == 0:
                    break
            out.append(ch)
            j += 1
        if stream[j + 1 : j + 4].strip().startswith(b"Tj"):
            found.append(bytes(out))
        i = j + 1


@pytest.fixture
def rich_programme(programme, member):
    """The programme with a requirement whose text has an accent and a euro sign."""
    services.proposal_update(
        actor=member,
        proposal=programme,
        data={},
        requirements=[
            *REQUIREMENTS,
            {
                "aspect": "Milieu",
                "title": "Geen geluidsoverlast bij de café-terrassen",
                "description": "Ruim € 10.000 voor geluidswering; ook voor Zoë's plein.",
                "priority": "should",
                "cost_estimate": "10000.50",
            },
        ],
    )
    return programme


def test_csv_has_one_row_per_requirement_with_dutch_headers(client, rich_programme, member):
    client.force_login(member)
    response = client.get(f"/voorstellen/{rich_programme.slug}/programma-van-eisen.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == len(REQUIREMENTS) + 1
    assert list(rows[0]) == [
        "Nummer",
        "Aspect",
        "Verplicht aspect",
        "Eis",
        "Toelichting",
        "Prioriteit",
        "Kostenraming (€)",
        "Norm: wat",
        "Norm: hoe",
        "Norm: waarde",
        "Norm: eenheid",
    ]
    # Grouped by aspect in the frameworks' order (Milieu, Groen, Parkeren), numbered through.
    assert [r["Aspect"] for r in rows] == ["Milieu", "Milieu", "Groen", "Parkeren"]
    assert [r["Nummer"] for r in rows] == ["1", "2", "3", "4"]
    parking = rows[3]
    assert parking["Eis"] == "Parkeernorm bewoners"
    assert parking["Prioriteit"] == "Moet"
    assert parking["Norm: hoe"] == "minstens"
    assert parking["Norm: waarde"] == "1,3"
    assert parking["Kostenraming (€)"] == "250000,00"
    assert parking["Verplicht aspect"] == "ja"
    cafe = next(r for r in rows if "café" in r["Eis"])
    assert "Zoë" in cafe["Toelichting"]
    assert cafe["Kostenraming (€)"] == "10000,50"


def test_pdf_is_a_pdf_with_the_requirements_in_its_text_layer(client, rich_programme, member):
    client.force_login(member)
    response = client.get(f"/voorstellen/{rich_programme.slug}/programma-van-eisen.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    for expected in ["Programma van Eisen Huis ter Heide", "Parkeernorm bewoners", "Veel groen"]:
        assert expected in text, expected
    assert "café-terrassen" in text
    assert "Zoë" in text
    assert "€ 250.000" in text
    assert "minstens 1,3 plaatsen" in text
    assert "?" not in text  # every glyph maps back to a character


def test_html_export_is_standalone_and_has_every_requirement(client, rich_programme, member):
    client.force_login(member)
    response = client.get(f"/voorstellen/{rich_programme.slug}/programma-van-eisen.html")
    html = response.content.decode()
    assert html.startswith("<!DOCTYPE html>")
    assert "<style>" in html and 'rel="stylesheet"' not in html
    for requirement in [*REQUIREMENTS, {"title": "Geen geluidsoverlast bij de café-terrassen"}]:
        assert requirement["title"] in html
    assert "€ 10.000,50" in html
    assert 'id="pve-totals"' in html


def test_exports_follow_the_reading_rules(client, rich_programme):
    # A draft is private: the public gets 404 for its exports, like for its page.
    for suffix in ("csv", "pdf", "html"):
        url = f"/voorstellen/{rich_programme.slug}/programma-van-eisen.{suffix}"
        assert client.get(url).status_code == 404


def test_a_measure_has_no_programme_document(client, proposal, member):
    client.force_login(member)
    assert client.get(f"/voorstellen/{proposal.slug}/programma-van-eisen/").status_code == 404
    assert client.get(f"/voorstellen/{proposal.slug}/programma-van-eisen.csv").status_code == 404


def test_the_document_page_groups_by_aspect_with_totals(client, rich_programme, member):
    client.force_login(member)
    html = client.get(f"/voorstellen/{rich_programme.slug}/programma-van-eisen/").content.decode()
    positions = [html.index(f">{aspect}") for aspect in ("Milieu", "Groen", "Parkeren")]
    assert positions == sorted(positions)
    totals = html[html.index('id="pve-totals"') :]
    totals = totals[: totals.index("</table>")]
    # 4 requirements; cost 250.000 (must) + 10.000,50 (should).
    assert re.search(r"Totaal</th>\s*<td[^>]*>4</td>\s*<td[^>]*>€ 260.000,50</td>", totals)
