"""OpenID Connect voting against a small OpenID provider served on 127.0.0.1 by the test:
it signs ID tokens with its own RSA key (RS256), publishes the key as JWKS, and checks the
PKCE verifier at its token endpoint. Nothing of our own code is mocked: mozilla-django-oidc
makes real HTTP requests to the stub, checks signature and nonce, and the voter key comes
from the verified issuer and ``sub``."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from samenspraak.consultations import verification
from samenspraak.consultations.models import Ballot, Choice, Verification

pytestmark = pytest.mark.django_db
CLIENT_ID = "samenspraak-test"
CLIENT_SECRET = "geheim-van-de-test"


class Provider:
    """The stub provider: ``issue(sub, ...)`` prepares the next authorization code."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "stub-key-1"
        self.codes: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                return

            def _json(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/jwks":
                    jwk = json.loads(RSAAlgorithm.to_jwk(provider.key.public_key()))
                    jwk.update({"kid": provider.kid, "alg": "RS256", "use": "sig"})
                    self._json(200, {"keys": [jwk]})
                else:
                    self._json(404, {})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests.append(form)
                grant = provider.codes.pop(form.get("code", ""), None)
                if self.path != "/token" or grant is None:
                    self._json(400, {"error": "invalid_grant"})
                    return
                if form.get("client_secret") != CLIENT_SECRET:
                    self._json(401, {"error": "invalid_client"})
                    return
                verifier = form.get("code_verifier", "")
                challenge = (
                    base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
                    .rstrip(b"=")
                    .decode()
                )
                if challenge != grant["challenge"]:
                    self._json(400, {"error": "invalid_grant", "detail": "PKCE"})
                    return
                self._json(200, {"id_token": grant["id_token"], "access_token": "x"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def issue(self, sub: str, *, nonce: str, challenge: str, claims=None) -> str:
        now = int(time.time())
        payload = {
            "iss": self.url,
            "sub": sub,
            "aud": CLIENT_ID,
            "nonce": nonce,
            "iat": now,
            "exp": now + 300,
            **(claims or {}),
        }
        token = jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": self.kid})
        code = f"code-{len(self.codes)}-{sub}"
        self.codes[code] = {"id_token": token, "challenge": challenge}
        return code

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider(settings):
    stub = Provider()
    settings.OIDC_VOTING_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = stub.url + "/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = stub.url + "/token"
    settings.OIDC_OP_JWKS_ENDPOINT = stub.url + "/jwks"
    settings.OIDC_OP_ISSUER = stub.url
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_USE_PKCE = True
    settings.OIDC_RP_SCOPES = "openid"
    yield stub
    stub.close()


@pytest.fixture
def oidc_vote(make_consultation, provider):
    consultation, _codes = make_consultation(verification=Verification.OIDC)
    return consultation


def _log_in(client, consultation, provider, sub, **token_claims):
    """Start at our log-in address, play the provider's part, come back with a code."""
    start = client.get(f"/raadplegingen/{consultation.slug}/inloggen/")
    assert start.status_code == 302
    location = urlparse(start["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == provider.url + "/authorize"
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == "http://testserver/raadplegingen/oidc/terug/"
    assert query["code_challenge_method"] == "S256"
    code = provider.issue(
        sub, nonce=query["nonce"], challenge=query["code_challenge"], claims=token_claims
    )
    return client.get(
        "/raadplegingen/oidc/terug/", {"code": code, "state": query["state"]}, follow=True
    )


def test_a_voter_logs_in_votes_and_changes_the_vote(client, oidc_vote, provider):
    page = client.get(f"/raadplegingen/{oidc_vote.slug}/").content.decode()
    assert "Inloggen met DigiD" in page
    response = _log_in(client, oidc_vote, provider, "burger-123")
    assert response.redirect_chain[-1][0] == f"/raadplegingen/{oidc_vote.slug}/stemmen/"
    # The token request carried the PKCE verifier and our client's credentials.
    assert provider.token_requests[-1]["client_id"] == CLIENT_ID
    client.post(f"/raadplegingen/{oidc_vote.slug}/stemmen/", {"projects": ["P1"]})
    ballot = Ballot.objects.get()
    expected = "oidc:" + verification.keyed_hash("oidc", oidc_vote.pk, provider.url, "burger-123")
    assert ballot.voter_key == expected
    assert "burger-123" not in ballot.voter_key
    # Later, in a new session, the same person logs in again: the same ballot changes.
    other = client.__class__()
    _log_in(other, oidc_vote, provider, "burger-123")
    other.post(f"/raadplegingen/{oidc_vote.slug}/stemmen/", {"projects": ["P2"]})
    assert Ballot.objects.count() == 1
    assert Ballot.objects.get().revision == 2
    assert list(Choice.objects.values_list("item__code", flat=True)) == ["P2"]
    # Someone else gets a ballot of their own.
    third = client.__class__()
    _log_in(third, oidc_vote, provider, "burger-456")
    third.post(f"/raadplegingen/{oidc_vote.slug}/stemmen/", {"projects": ["P3"]})
    assert Ballot.objects.count() == 2


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({"nonce": "een-andere-nonce"}, "Inloggen is niet gelukt"),
        ({"iss": "https://nep.example.org"}, "onbekende aanbieder"),
        ({"aud": "een-andere-website"}, "niet bedoeld voor deze website"),
        ({"exp": int(time.time()) - 10}, "Inloggen is niet gelukt"),
    ],
)
def test_a_token_that_does_not_check_out_lets_nobody_vote(
    client, oidc_vote, provider, claims, message
):
    response = _log_in(client, oidc_vote, provider, "burger-123", **claims)
    assert response.redirect_chain[-1][0] == f"/raadplegingen/{oidc_vote.slug}/"
    assert message in response.content.decode()
    assert client.get(f"/raadplegingen/{oidc_vote.slug}/stemmen/").status_code == 302
    assert not Ballot.objects.exists()


def test_a_token_signed_with_another_key_is_refused(client, oidc_vote, provider):
    impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    real_key, provider.key = provider.key, impostor
    try:
        start = client.get(f"/raadplegingen/{oidc_vote.slug}/inloggen/")
        query = {k: v[0] for k, v in parse_qs(urlparse(start["Location"]).query).items()}
        code = provider.issue("burger-1", nonce=query["nonce"], challenge=query["code_challenge"])
    finally:
        provider.key = real_key  # the JWKS publishes the real key again
    response = client.get(
        "/raadplegingen/oidc/terug/", {"code": code, "state": query["state"]}, follow=True
    )
    assert "Inloggen is niet gelukt" in response.content.decode()
    assert verification.SESSION_KEY not in client.session or not client.session.get(
        verification.SESSION_KEY
    )


def test_an_unknown_state_is_refused(client, oidc_vote, provider):
    client.get(f"/raadplegingen/{oidc_vote.slug}/inloggen/")
    response = client.get(
        "/raadplegingen/oidc/terug/", {"code": "whatever", "state": "nep"}, follow=True
    )
    assert "Inloggen is niet gelukt" in response.content.decode()
    assert provider.token_requests == []  # nothing was even asked of the provider


def test_without_configuration_oidc_is_not_offered(client, make_consultation, settings):
    settings.OIDC_VOTING_ENABLED = True
    consultation, _codes = make_consultation(verification=Verification.OIDC)
    settings.OIDC_VOTING_ENABLED = False
    assert client.get(f"/raadplegingen/{consultation.slug}/inloggen/").status_code == 404
    from samenspraak.consultations.forms import ConsultationForm

    form = ConsultationForm(process=consultation.process)
    assert Verification.OIDC not in dict(form.fields["verification"].choices)


def test_the_voter_key_is_per_consultation_issuer_and_subject(make_consultation, settings):
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    first, _ = make_consultation(publish=False, codes=0)
    second, _ = make_consultation(publish=False, codes=0, title="Tweede")
    claims = {"iss": "https://idp.example", "sub": "s-1", "aud": [CLIENT_ID, "ander"]}
    key = verification.voter_from_claims(first, claims).key
    assert key == verification.voter_from_claims(first, dict(claims)).key
    assert key != verification.voter_from_claims(second, claims).key
    assert key != verification.voter_from_claims(first, {**claims, "sub": "s-2"}).key
    assert key != verification.voter_from_claims(first, {**claims, "iss": "https://b"}).key
    # Another pepper (another installation) gives other keys for the same person.
    settings.VOTER_KEY_PEPPER = "een-andere-peper"
    assert key != verification.voter_from_claims(first, claims).key
