"""A code or an e-mail link votes once, however many requests race: real threads, each with
its own database connection, started together on PostgreSQL.

SQLite serialises every write on the whole database file, so a race there proves nothing;
`make test` runs once on SQLite and once on PostgreSQL (CI), and these run on the latter.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from samenspraak.consultations import services, verification
from samenspraak.consultations.models import Ballot, Choice, EmailLink, Verification

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="Race tests need PostgreSQL (SQLite locks the whole file): "
        "run with DATABASE_URL=postgres://…",
    ),
]
THREADS = 12


def race(work: Callable[[int], object], n: int = THREADS) -> tuple[list, list[Exception]]:
    """Run ``work(i)`` in ``n`` threads released at the same moment; (results, errors)."""
    barrier = threading.Barrier(n)
    results: list = [None] * n
    errors: list[Exception] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # collected and asserted on by the test
            with lock:
                errors.append(exc)
        finally:
            connection.close()  # every thread has its own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results, errors


# Every submission is complete and different, so a mixed ballot would show.
SUBMISSIONS = [
    {"P1": True},
    {"P2": True},
    {"P3": True},
    {"P1": True, "P2": True},
    {"P1": True, "P3": True},
    {"P2": True, "P3": True},
    {"P4": True},
    {"P2": True, "P4": True},
    {"P3": True, "P4": True},
    {"P1": True, "P2": True, "P3": True},
    {"P2": True, "P3": True, "P4": True},
    {"P1": True},
]


def _stored_codes(ballot) -> set[str]:
    return set(Choice.objects.filter(ballot=ballot).values_list("item__code", flat=True))


def test_parallel_ballots_with_one_code_leave_one_complete_ballot(pb):
    consultation, codes = pb

    def vote(i: int):
        voter = verification.verify_code(consultation, codes[0])
        return services.ballot_submit(
            consultation=consultation, voter=voter, choices=SUBMISSIONS[i]
        )

    results, errors = race(vote)
    assert errors == []
    assert Ballot.objects.filter(consultation=consultation).count() == 1
    ballot = Ballot.objects.get(consultation=consultation)
    # Every submission was applied in turn (each raised the revision once) ...
    assert ballot.revision == THREADS
    assert sum(1 for r in results if r.created) == 1
    # ... and what is stored is exactly one of them, not a mixture.
    assert _stored_codes(ballot) in [set(s) for s in SUBMISSIONS]


def test_parallel_ballots_without_changes_allowed_let_exactly_one_win(make_consultation):
    consultation, codes = make_consultation(allow_changes=False)

    def vote(i: int):
        voter = verification.verify_code(consultation, codes[0])
        return services.ballot_submit(
            consultation=consultation, voter=voter, choices=SUBMISSIONS[i]
        )

    results, errors = race(vote)
    winners = [r for r in results if r is not None]
    assert len(winners) == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(e, ValidationError) and e.code == "used" for e in errors)
    ballot = Ballot.objects.get(consultation=consultation)
    assert ballot.revision == 1
    assert ballot.pk == winners[0].ballot.pk
    assert _stored_codes(ballot) in [set(s) for s in SUBMISSIONS]


def test_different_codes_in_parallel_each_get_their_ballot(make_consultation):
    consultation, codes = make_consultation(codes=THREADS)

    def vote(i: int):
        voter = verification.verify_code(consultation, codes[i])
        return services.ballot_submit(
            consultation=consultation, voter=voter, choices=SUBMISSIONS[i]
        )

    _results, errors = race(vote)
    assert errors == []
    assert Ballot.objects.filter(consultation=consultation).count() == THREADS


def test_parallel_openings_of_one_email_link_let_exactly_one_in(make_consultation):
    consultation, _codes = make_consultation(verification=Verification.EMAIL)
    tokens: list[str] = []
    verification.request_email_link(
        consultation=consultation,
        email="kiezer@example.org",
        link_for=lambda token: tokens.append(token) or f"/link/{token}",
    )
    (token,) = tokens

    results, errors = race(
        lambda i: verification.open_email_link(consultation=consultation, token=token)
    )
    voters = [r for r in results if r is not None]
    assert len(voters) == 1
    assert len(errors) == THREADS - 1
    assert all("al gebruikt" in " ".join(e.messages) for e in errors)
    assert voters[0].key == "mail:" + verification.email_hash(consultation.pk, "kiezer@example.org")
    assert EmailLink.objects.get().used_at is not None


def test_a_ballot_during_closing_waits_and_is_then_refused(pb):
    """Closing takes the ballots' lock exclusively (``lock_out_ballots``): a ballot that
    arrives while the closing transaction runs waits for it and then sees "closed"."""
    import time

    from django.db import transaction

    from samenspraak.consultations.models import Consultation, ConsultationStatus

    consultation, codes = pb
    locked = threading.Event()
    ballot_started = threading.Event()
    outcome: dict[str, object] = {}

    def close() -> None:
        try:
            with transaction.atomic():
                services.lock_out_ballots(consultation.pk)
                Consultation.objects.filter(pk=consultation.pk).update(
                    status=ConsultationStatus.CLOSED
                )
                locked.set()
                ballot_started.wait(timeout=10)
                time.sleep(0.3)  # let the ballot reach the lock; correctness does not depend on it
        finally:
            connection.close()

    def vote() -> None:
        try:
            locked.wait(timeout=10)
            voter = verification.verify_code(consultation, codes[0])
            ballot_started.set()
            services.ballot_submit(consultation=consultation, voter=voter, choices={"P1": True})
            outcome["result"] = "stored"
        except ValidationError as exc:
            outcome["result"] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=close), threading.Thread(target=vote)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcome["result"] == "closed"
    assert not Ballot.objects.filter(consultation=consultation).exists()
