"""Dutch first: the interface speaks Dutch unless the visitor chose English with the button."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def page_language(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_dutch_by_default(client):
    response = client.get("/")
    assert page_language(response) == "nl"
    assert response.headers["Content-Language"] == "nl"


def test_dutch_even_when_the_browser_asks_for_english(client):
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert page_language(response) == "nl"
    assert response.headers["Content-Language"] == "nl"
    assert 'value="en"' in response.content.decode()  # the button to switch to English


def test_english_after_choosing_it(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/processen/"})
    assert response.status_code == 302
    assert response["Location"] == "/processen/"
    assert client.cookies["django_language"].value == "en"
    response = client.get("/processen/")
    assert page_language(response) == "en"
    assert response.headers["Content-Language"] == "en"
    assert ">Processes<" in response.content.decode()


def test_back_to_dutch(client):
    client.post("/i18n/setlang/", {"language": "en"})
    client.post("/i18n/setlang/", {"language": "nl"})
    assert page_language(client.get("/")) == "nl"


@pytest.mark.parametrize("cookie", ["de", "", "xx-evil"])
def test_unknown_language_cookie_falls_back_to_dutch(client, cookie):
    client.cookies["django_language"] = cookie
    response = client.get("/", headers={"Accept-Language": "en"})
    assert page_language(response) == "nl"


def test_responses_vary_on_the_cookie(client):
    # A cache must not serve the English page to a Dutch visitor or the other way around.
    vary = client.get("/").headers["Vary"]
    assert "Cookie" in [part.strip() for part in vary.split(",")]
