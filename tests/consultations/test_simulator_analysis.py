"""Budget simulator analysis: measure counts, the most common packages and the share that
closes every year's gap, on small sets whose numbers are worked out by hand below."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from samenspraak.consultations import results
from samenspraak.consultations.models import ConsultationKind
from samenspraak.consultations.simulator_analysis import (
    analyse_packages,
    closes_gap,
    simulator_analysis_for,
)
from tests.consultations.results_helpers import add_ballots, add_gaps, add_items, make_consultation

D = Decimal
MEASURES = {"A": "Bibliotheek eerder dicht", "B": "Parkeren duurder", "C": "Subsidie herijken"}
AMOUNTS = {
    "A": {2027: D("100"), 2028: D("100")},
    "B": {2027: D("50"), 2028: D("150")},
    "C": {2027: D("-20"), 2028: D("200")},
}
GAPS = {2027: D("100"), 2028: D("200")}
# A+B: 150 / 250 closes; A: 100 / 100 (2027 exactly, 2028 short); B+C: 30 short in 2027;
# A+C: 80 short in 2027; nothing: short everywhere.
PACKAGES = [["A", "B"], ["A"], ["B", "C"], ["A", "B"], ["B", "A"], ["A", "C"], []]


def test_a_package_closes_the_gap_only_when_every_year_reaches_it():
    assert closes_gap(["A", "B"], AMOUNTS, GAPS)
    assert not closes_gap(["A"], AMOUNTS, GAPS)  # 2027 exactly met, 2028 short by 100
    assert closes_gap(["A"], AMOUNTS, {2027: D("100")})  # exactly the gap closes it
    assert not closes_gap(["A"], AMOUNTS, {2027: D("100.01")})
    assert closes_gap([], AMOUNTS, {})


def test_counts_of_measures_top_packages_and_share_closing():
    analysis = analyse_packages(measures=MEASURES, amounts=AMOUNTS, gaps=GAPS, packages=PACKAGES)
    assert analysis.packages == 7
    assert analysis.closing == 3  # the three A+B packages (B+A is the same package)
    assert analysis.closing_share == pytest.approx(3 / 7)
    assert analysis.distinct == 5
    assert [(m.code, m.chosen) for m in analysis.measures] == [("A", 5), ("B", 4), ("C", 2)]
    assert analysis.measures[0].share == pytest.approx(5 / 7)
    top = analysis.top
    assert top[0].codes == ("A", "B") and top[0].count == 3 and top[0].closes_gap
    assert top[0].titles == (MEASURES["A"], MEASURES["B"])
    assert top[0].balance == {2027: D("50"), 2028: D("50")}
    # Ties (one each): fewer measures first, then the order of the ballot.
    assert [p.codes for p in top[1:]] == [(), ("A",), ("A", "C"), ("B", "C")]
    assert not any(p.closes_gap for p in top[1:])
    assert top[2].balance == {2027: D("0"), 2028: D("-100")}


def test_only_the_ten_most_common_packages_are_listed():
    codes = [f"M{i}" for i in range(12)]
    packages = [[code] for code in codes] + [["M5"]] * 3
    analysis = analyse_packages(
        measures={c: c for c in codes}, amounts={}, gaps={2027: D("1")}, packages=packages
    )
    assert len(analysis.top) == 10
    assert analysis.top[0].codes == ("M5",) and analysis.top[0].count == 4
    assert analysis.closing == 0 and analysis.distinct == 12


def test_no_packages_gives_no_share():
    analysis = analyse_packages(measures=MEASURES, amounts=AMOUNTS, gaps=GAPS, packages=[])
    assert analysis.packages == 0 and analysis.closing_share is None and analysis.top == ()
    assert all(m.chosen == 0 for m in analysis.measures)


@pytest.fixture
def simulator(process):
    consultation = make_consultation(
        process, ConsultationKind.SIMULATOR, title="Begrotingssimulator Zeist"
    )
    add_items(
        consultation,
        [
            {"code": code, "title": title, "amounts": AMOUNTS[code]}
            for code, title in MEASURES.items()
        ],
    )
    add_gaps(consultation, {2027: "100", 2028: "200"})
    add_ballots(consultation, [dict.fromkeys(p, 1) for p in PACKAGES])
    return consultation


def test_the_analysis_of_stored_packages(simulator):
    analysis = simulator_analysis_for(simulator)
    assert (analysis.packages, analysis.closing, analysis.distinct) == (7, 3, 5)
    assert analysis.gaps == {2027: D("100.00"), 2028: D("200.00")}
    assert [(m.code, m.chosen) for m in analysis.measures] == [("A", 5), ("B", 4), ("C", 2)]


def test_closing_stores_the_analysis_and_the_page_shows_it(simulator, staff_user, client):
    url = reverse("consultations:simulator_analysis", args=[simulator.slug])
    assert client.get(url).status_code == 403  # the public waits for the close
    client.force_login(staff_user)
    running = client.get(url)
    assert running.status_code == 200 and "running-figures" in running.content.decode()
    results.consultation_close(actor=staff_user, consultation=simulator)
    counts = results.counts_for(simulator)
    assert counts["simulator"]["closing"] == 3 and counts["simulator"]["packages"] == 7
    client.logout()
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "running-figures" not in html
    assert "42,9%" in html  # 3 of 7 packages close the gap
    assert MEASURES["A"] in html and 'data-measure="C"' in html
    top = html.split('id="top-packages"')[1].split("</table>")[0]
    # The most common package (A and B) is told by what it leaves out.
    first = top.split("<tbody")[1].split("</tr>")[0]
    assert "2 van de 3 maatregelen" in first and f"Niet gekozen: {MEASURES['C']}." in first
    results_page = client.get(reverse("consultations:results", args=[simulator.slug]))
    assert results_page.status_code == 200 and "42,9%" in results_page.content.decode()


def test_the_analysis_page_is_only_for_simulators(process, client):
    poll = make_consultation(process, ConsultationKind.POLL)
    url = reverse("consultations:simulator_analysis", args=[poll.slug])
    assert client.get(url).status_code == 404
