"""The iCalendar feed (RFC 5545): CRLF lines, escaped text, folded long lines, UTC times."""

from __future__ import annotations

import datetime

import pytest

from samenspraak.committees.views import _ical_fold, _ical_text
from tests.committees.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _feed(client, committee, key=None):
    key = committee.calendar_token if key is None else key
    return client.get(f"/comites/{committee.slug}/agenda.ics?sleutel={key}")


def _unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


def test_feed_is_a_calendar_with_one_event_per_meeting(client, committee):
    start = datetime.datetime(2027, 3, 2, 18, 30, tzinfo=datetime.UTC)
    meeting = MeetingFactory(
        committee=committee,
        title="Startbijeenkomst",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        location="Het Rond 1, Zeist",
        agenda="1. Welkom; kennismaking\n2. Kaders, planning",
    )
    MeetingFactory(committee=committee)
    response = _feed(client, committee)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")  # every line ends in CRLF
    lines = _unfold(body)
    assert lines.count("BEGIN:VEVENT") == 2 == lines.count("END:VEVENT")
    assert f"UID:{meeting.uuid}@testserver" in lines
    assert "DTSTART:20270302T183000Z" in lines
    assert "DTEND:20270302T203000Z" in lines
    assert "LOCATION:Het Rond 1\\, Zeist" in lines
    assert "DESCRIPTION:1. Welkom\\; kennismaking\\n2. Kaders\\, planning" in lines
    assert f"SUMMARY:Startbijeenkomst ({committee.name})" in lines


def test_unpublished_minutes_stay_out_of_the_feed(client, committee):
    MeetingFactory(committee=committee, minutes="Geheim concept", minutes_published=False)
    MeetingFactory(committee=committee, minutes="Openbaar verslag", minutes_published=True)
    body = "".join(_unfold(_feed(client, committee).content.decode()))
    assert "Geheim concept" not in body
    assert "Openbaar verslag" in body


def test_a_wrong_key_does_not_open_the_feed(client, committee):
    response = _feed(client, committee, key="00000000-0000-0000-0000-000000000000")
    assert response.status_code == 302  # to the log-in page


def test_escaping_and_folding_follow_rfc_5545():
    assert _ical_text("a\\b;c,d\r\ne") == "a\\\\b\\;c\\,d\\ne"
    line = "DESCRIPTION:" + "ë" * 80
    folded = _ical_fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p.removeprefix(" ") if i else p for i, p in enumerate(parts)) == line
