"""The staff pages through the Django test client: what a person typing into them gets."""

from __future__ import annotations

import datetime
import html
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.utils import translation

from samenspraak.common.forms import EuroField
from samenspraak.common.models import AuditEvent
from samenspraak.processes.models import (
    BandwidthYear,
    Framework,
    MandatoryAspect,
    Process,
    ProcessStatus,
)
from tests.factories import DistrictFactory, MunicipalityFactory, ProcessFactory

pytestmark = pytest.mark.django_db


class _FormReader(HTMLParser):
    """The fields a browser would submit from the page's last POST form, as rendered."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False

    def _add(self, name, value):
        self.forms[-1].setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_form = (a.get("method") or "").lower() == "post"
            if self._in_form:
                self.forms.append({})
        if not self._in_form or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(a["name"], a.get("value", "on"))
            elif kind not in ("submit", "button"):
                self._add(a["name"], a.get("value") or "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self._add(a["name"], "")
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = a["name"], None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._add(self._select, value)
                self._select_chosen = True

    def handle_data(self, data):
        if self._textarea:
            values = self.forms[-1][self._textarea]
            if not values[-1]:
                data = data.removeprefix("\n")  # browsers drop the newline after <textarea>
            values[-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self._add(self._select, self._select_first)
            self._select = None
        elif tag == "form":
            self._in_form = False


def form_data(response) -> dict[str, list[str] | str]:
    """What submitting the page's main (last) POST form unchanged would send."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    fields = reader.forms[-1]
    fields.pop("csrfmiddlewaretoken", None)
    return {name: values if len(values) > 1 else values[0] for name, values in fields.items()}


def tag_with_id(content: str, element_id: str) -> str:
    match = re.search(rf'<[a-z]+[^>]*\bid="{re.escape(element_id)}"[^>]*>', content)
    assert match, f"no element with id {element_id}"
    return match.group(0)


def text_of(content: str, element_id: str) -> str:
    match = re.search(rf'\bid="{re.escape(element_id)}"[^>]*>(.*?)</div>', content, re.S)
    assert match, f"no element with id {element_id}"
    return html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def input_value(content: str, element_id: str) -> str | None:
    match = re.search(r'\bvalue="([^"]*)"', tag_with_id(content, element_id))
    return html.unescape(match.group(1)) if match else None


def years_of(process):
    return list(
        BandwidthYear.objects.filter(framework__process=process)
        .order_by("year")
        .values_list("year", "minimum", "maximum")
    )


def aspects_of(process):
    return sorted(
        MandatoryAspect.objects.filter(framework__process=process).values_list("name", flat=True)
    )


def phases_of(process):
    return list(process.phases.order_by("position").values_list("title", "start_date", "end_date"))


@pytest.fixture
def owner_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def framework_url(process):
    return f"/beheer/processen/{process.slug}/kaders/"


def phases_url(process):
    return f"/beheer/processen/{process.slug}/fasen/"


# --- frameworks page -----------------------------------------------------------------------


def test_framework_page_shows_amounts_the_dutch_way(owner_client, process):
    content = owner_client.get(framework_url(process)).content.decode()
    assert input_value(content, "id_years-0-year") == "2026"
    assert input_value(content, "id_years-0-minimum") == "-500.000"
    assert input_value(content, "id_years-0-maximum") == "1.500.000"
    assert input_value(content, "id_aspects-0-name") == "Milieu"


def test_valid_framework_post_saves_exact_amounts_and_redirects(owner_client, process):
    data = form_data(owner_client.get(framework_url(process)))
    data.update(
        {
            "bandwidth_subject": "Resultaat grondexploitatie Dorpsstraat",
            "years-0-minimum": "-500.000",
            "years-0-maximum": "€ 1.250.000,50",
            "years-1-year": "2027",
            "years-1-minimum": "-250000,75",
            "aspects-1-name": "Bereikbaarheid",
        }
    )
    response = owner_client.post(framework_url(process), data)
    assert response.status_code == 302
    assert response["Location"] == framework_url(process)
    years = years_of(process)
    assert years == [
        (2026, Decimal("-500000.00"), Decimal("1250000.50")),
        (2027, Decimal("-250000.75"), None),
    ]
    # Exactly two places, as typed (not a float, not rounded).
    assert [str(y[1]) for y in years] == ["-500000.00", "-250000.75"]
    assert aspects_of(process) == ["Bereikbaarheid", "Milieu"]
    framework = Framework.objects.get(process=process)
    assert framework.bandwidth_subject == "Resultaat grondexploitatie Dorpsstraat"


def test_framework_posted_back_unchanged_keeps_everything(owner_client, process):
    before = (years_of(process), aspects_of(process))
    data = form_data(owner_client.get(framework_url(process)))
    response = owner_client.post(framework_url(process), data)
    assert response.status_code == 302
    assert (years_of(process), aspects_of(process)) == before


def test_changing_one_year_keeps_the_others(owner_client, process):
    framework = Framework.objects.get(process=process)
    BandwidthYear.objects.create(framework=framework, year=2027, minimum=Decimal("0"))
    data = form_data(owner_client.get(framework_url(process)))
    assert data["years-1-year"] == "2027"
    data["years-1-maximum"] = "100.000"
    owner_client.post(framework_url(process), data)
    assert years_of(process) == [
        (2026, Decimal("-500000.00"), Decimal("1500000.00")),
        (2027, Decimal("0.00"), Decimal("100000.00")),
    ]


def test_deleting_a_year_removes_only_that_year(owner_client, process):
    data = form_data(owner_client.get(framework_url(process)))
    data.update({"years-1-year": "2027", "years-1-minimum": "1", "years-0-DELETE": "on"})
    assert owner_client.post(framework_url(process), data).status_code == 302
    assert years_of(process) == [(2027, Decimal("1.00"), None)]


def _minimum_above_maximum(client, process):
    data = form_data(client.get(framework_url(process)))
    data.update(
        {
            "bandwidth_subject": "Iets anders",
            "years-1-year": "2027",
            "years-1-minimum": "1.500.000",
            "years-1-maximum": "200.000",
            "aspects-1-name": "Veiligheid",
        }
    )
    return client.post(framework_url(process), data)


def test_minimum_above_maximum_rerenders_with_the_error_at_the_field(owner_client, process):
    before = (years_of(process), aspects_of(process))
    response = _minimum_above_maximum(owner_client, process)
    assert response.status_code == 200
    content = response.content.decode()
    message = "Het minimum voor 2027 is hoger dan het maximum."
    assert text_of(content, "id_years-1-minimum_error") == message
    field = tag_with_id(content, "id_years-1-minimum")
    assert 'aria-invalid="true"' in field
    assert "id_years-1-minimum_error" in re.search(r'aria-describedby="([^"]*)"', field).group(1)
    # The other amount is not wrong, and row 1 of the other year is untouched.
    assert "aria-invalid" not in tag_with_id(content, "id_years-1-maximum")
    assert "aria-invalid" not in tag_with_id(content, "id_years-0-minimum")
    # What was typed stays, as typed.
    assert input_value(content, "id_years-1-minimum") == "1.500.000"
    assert input_value(content, "id_years-1-maximum") == "200.000"
    assert input_value(content, "id_bandwidth_subject") == "Iets anders"
    # The summary at the top links to the field.
    assert 'href="#id_years-1-minimum"' in content
    # And nothing was stored.
    assert (years_of(process), aspects_of(process)) == before
    framework = Framework.objects.get(process=process)
    assert framework.bandwidth_subject == "Resultaat grondexploitatie"


def test_minimum_above_maximum_in_english(owner_client, english, process):
    response = _minimum_above_maximum(owner_client, process)
    content = response.content.decode()
    assert text_of(content, "id_years-1-minimum_error") == (
        "The minimum for 2027 is higher than the maximum."
    )


def test_words_instead_of_an_amount_keep_the_text(owner_client, process):
    before = years_of(process)
    data = form_data(owner_client.get(framework_url(process)))
    data["years-0-maximum"] = "veel geld"
    response = owner_client.post(framework_url(process), data)
    assert response.status_code == 200
    content = response.content.decode()
    with translation.override("nl"):
        expected = str(EuroField().error_messages["not_an_amount"]) % {"value": "veel geld"}
    assert text_of(content, "id_years-0-maximum_error") == expected
    assert 'aria-invalid="true"' in tag_with_id(content, "id_years-0-maximum")
    assert input_value(content, "id_years-0-maximum") == "veel geld"
    assert years_of(process) == before


def test_words_instead_of_an_amount_in_english(owner_client, english, process):
    data = form_data(owner_client.get(framework_url(process)))
    data["years-0-maximum"] = "veel geld"
    content = owner_client.post(framework_url(process), data).content.decode()
    assert text_of(content, "id_years-0-maximum_error") == (
        "“veel geld” is not an amount. Write for example 1.250.000 or 1250000,50."
    )


# --- phases page ---------------------------------------------------------------------------


def _end_before_start(client, process):
    data = form_data(client.get(phases_url(process)))
    data.update({"phases-1-start_date": "2026-06-30", "phases-1-end_date": "2026-03-01"})
    return client.post(phases_url(process), data)


def test_phase_ending_before_it_starts_is_shown_at_the_end_date(owner_client, process):
    before = phases_of(process)
    response = _end_before_start(owner_client, process)
    assert response.status_code == 200
    content = response.content.decode()
    with translation.override("nl"):
        expected = translation.gettext("The end date is before the start date.")
    assert text_of(content, "id_phases-1-end_date_error") == expected
    assert 'aria-invalid="true"' in tag_with_id(content, "id_phases-1-end_date")
    assert input_value(content, "id_phases-1-end_date") == "2026-03-01"
    assert phases_of(process) == before


def test_phase_ending_before_it_starts_in_english(owner_client, english, process):
    content = _end_before_start(owner_client, process).content.decode()
    assert text_of(content, "id_phases-1-end_date_error") == (
        "The end date is before the start date."
    )


def test_phases_posted_back_unchanged_keep_every_phase(owner_client, process):
    before = phases_of(process)
    data = form_data(owner_client.get(phases_url(process)))
    response = owner_client.post(phases_url(process), data)
    assert response.status_code == 302
    assert phases_of(process) == before


def test_adding_a_phase_keeps_the_others(owner_client, process):
    data = form_data(owner_client.get(phases_url(process)))
    data.update(
        {
            "phases-2-kind": "council",
            "phases-2-title": "Raadsbesluit",
            "phases-2-start_date": "2026-07-01",
            "phases-2-end_date": "2026-07-15",
        }
    )
    assert owner_client.post(phases_url(process), data).status_code == 302
    assert [p[0] for p in phases_of(process)] == ["Verkennen", "Dialoog", "Raadsbesluit"]


def test_overlapping_phases_are_saved_with_a_warning(owner_client, process):
    data = form_data(owner_client.get(phases_url(process)))
    data["phases-1-start_date"] = "2026-02-01"  # before "Verkennen" ends (28 February)
    response = owner_client.post(phases_url(process), data, follow=True)
    assert response.redirect_chain[-1][0] == phases_url(process)
    assert phases_of(process)[1][1] == datetime.date(2026, 2, 1)
    levels = [m.level_tag for m in response.context["messages"]]
    assert "warning" in levels
    content = html.unescape(response.content.decode())
    assert "De fase 'Dialoog' begint voordat 'Verkennen' klaar is." in content


def test_set_current_phase(owner_client, process):
    phase = process.phases.order_by("position").first()
    response = owner_client.post(
        f"/beheer/processen/{process.slug}/huidige-fase/", {"phase": phase.pk}
    )
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.current_phase == phase


def test_set_current_phase_of_another_process_is_404(owner_client, process):
    other_phase = ProcessFactory().phases.create(
        kind="intake",
        title="Elders",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 1, 2),
    )
    response = owner_client.post(
        f"/beheer/processen/{process.slug}/huidige-fase/", {"phase": other_phase.pk}
    )
    assert response.status_code == 404
    process.refresh_from_db()
    assert process.current_phase is None


# --- themes page ---------------------------------------------------------------------------


def test_themes_page_saves_and_posted_back_unchanged_keeps_them(owner_client, process):
    url = f"/beheer/processen/{process.slug}/themas/"
    data = form_data(owner_client.get(url))
    data.update({"themes-0-name": "Zorg", "themes-1-name": "Wonen"})
    assert owner_client.post(url, data).status_code == 302
    assert sorted(process.themes.values_list("name", flat=True)) == ["Wonen", "Zorg"]
    data = form_data(owner_client.get(url))
    assert owner_client.post(url, data).status_code == 302
    assert sorted(process.themes.values_list("name", flat=True)) == ["Wonen", "Zorg"]


# --- creating and editing a process --------------------------------------------------------


def test_create_process(owner_client, staff_user, municipality):
    centrum = DistrictFactory(municipality=municipality, name="Centrum")
    response = owner_client.post(
        "/beheer/processen/nieuw/",
        {
            "title": "Groen in de wijk",
            "summary": "Meer bomen in Centrum.",
            "challenge": "Hittestress in de zomer.",
            "municipality": municipality.pk,
            "districts": [centrum.pk],
            "owner": staff_user.pk,
            "status": ProcessStatus.DRAFT,
        },
    )
    process = Process.objects.get(title="Groen in de wijk")
    assert response.status_code == 302
    assert response["Location"] == f"/beheer/processen/{process.slug}/"
    assert process.slug == "groen-in-de-wijk"
    assert process.owner == staff_user
    assert list(process.districts.all()) == [centrum]
    assert Framework.objects.filter(process=process).exists()
    assert AuditEvent.objects.filter(process_id=process.pk, action="process_create").exists()


def test_create_process_with_a_foreign_district_shows_the_error(
    owner_client, staff_user, municipality
):
    elsewhere = DistrictFactory(municipality=MunicipalityFactory(name="Utrecht"), name="Lunetten")
    response = owner_client.post(
        "/beheer/processen/nieuw/",
        {
            "title": "Groen in de wijk",
            "summary": "s",
            "challenge": "c",
            "municipality": municipality.pk,
            "districts": [elsewhere.pk],
            "owner": staff_user.pk,
            "status": ProcessStatus.DRAFT,
        },
    )
    assert response.status_code == 200
    assert "Lunetten" in text_of(response.content.decode(), "id_districts_error")
    assert not Process.objects.exists()


def test_edit_process_audits_the_change(owner_client, process):
    url = f"/beheer/processen/{process.slug}/"
    data = form_data(owner_client.get(url))
    data["title"] = "Bezuinigingsdialoog Zeist 2027"
    assert owner_client.post(url, data).status_code == 302
    event = AuditEvent.objects.filter(action="process_update").get()
    assert event.changes == {
        "title": ["Bezuinigingsdialoog Zeist", "Bezuinigingsdialoog Zeist 2027"]
    }


# --- the public list -----------------------------------------------------------------------


@pytest.fixture
def listed(staff_user):
    zeist = MunicipalityFactory(name="Zeist", cbs_code="GM0355")
    utrecht = MunicipalityFactory(name="Utrecht", cbs_code="GM0344")
    make = ProcessFactory
    return {
        "zeist-active": make(title="Zeist loopt", municipality=zeist, owner=staff_user),
        "zeist-adopted": make(
            title="Zeist vastgesteld",
            municipality=zeist,
            owner=staff_user,
            status=ProcessStatus.ADOPTED,
        ),
        "zeist-draft": make(
            title="Zeist concept", municipality=zeist, owner=staff_user, status=ProcessStatus.DRAFT
        ),
        "utrecht-active": make(title="Utrecht loopt", municipality=utrecht, owner=staff_user),
    }


def titles(response):
    return sorted(p.title for p in response.context["processes"])


def test_list_shows_public_processes_only(client, listed):
    response = client.get("/processen/")
    assert titles(response) == ["Utrecht loopt", "Zeist loopt", "Zeist vastgesteld"]
    assert "Zeist concept" not in response.content.decode()


def test_list_filters_on_municipality(client, listed):
    response = client.get("/processen/", {"gemeente": "GM0355"})
    assert titles(response) == ["Zeist loopt", "Zeist vastgesteld"]
    assert "Utrecht loopt" not in response.content.decode()


def test_list_filters_on_status(client, listed):
    assert titles(client.get("/processen/", {"status": "adopted"})) == ["Zeist vastgesteld"]
    assert titles(client.get("/processen/", {"status": "draft"})) == []


def test_list_filters_combine(client, listed):
    response = client.get("/processen/", {"gemeente": "GM0344", "status": "adopted"})
    assert titles(response) == []
    response = client.get("/processen/", {"q": "vastgesteld", "gemeente": "GM0355"})
    assert titles(response) == ["Zeist vastgesteld"]


def test_htmx_request_gets_only_the_results(client, listed):
    response = client.get("/processen/", {"gemeente": "GM0344"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "<form" not in content
    assert "Utrecht loopt" in content
    assert "Zeist loopt" not in content
    full = client.get("/processen/", {"gemeente": "GM0344"}).content.decode()
    assert "<html" in full
    assert 'id="process-results"' in full


def test_framework_page_in_english_reads_back_what_it_shows(owner_client, english, process):
    before = years_of(process)
    response = owner_client.get(framework_url(process))
    assert response.headers["Content-Language"] == "en"
    data = form_data(response)
    # Amounts are always written the Dutch way in the boxes, which parse_euro reads back.
    assert data["years-0-minimum"] == "-500.000"
    assert owner_client.post(framework_url(process), data).status_code == 302
    assert years_of(process) == before


@pytest.mark.django_db
def test_history_names_the_actions_of_every_app(client):
    """Each app registers labels for its audit actions; the process history uses them."""
    from samenspraak.common.audit import action_label, audit_record
    from samenspraak.demo.loader import load_demo
    from samenspraak.processes.models import Process

    load_demo()
    owner = Process.objects.get(slug="bezuinigingsdialoog-zeist").owner
    process = Process.objects.get(slug="bezuinigingsdialoog-zeist")
    audit_record(actor=owner, action="committee_draw", obj=process, process_id=process.pk)
    client.force_login(owner)
    client.cookies["django_language"] = "en"
    page = client.get(f"/beheer/processen/{process.slug}/geschiedenis/").content.decode()
    assert "Committee drawn by lot" in page
    assert ">committee_draw<" not in page
    assert action_label("no_such_action") == "no_such_action"
