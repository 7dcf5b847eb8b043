"""The winning bid of an agreement cannot be deleted on its own (RESTRICT), but removing the
whole process (tenders, bids, agreements together) works: the demo loader relies on that."""

from __future__ import annotations

import pytest
from django.db.models import RestrictedError

from samenspraak.processes.models import Process
from samenspraak.tenders.models import Agreement, Bid, Tender
from tests.tenders.test_agreements import agreement, awarded, coalition  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_the_winning_bid_stays_while_its_agreement_does(request):
    made = request.getfixturevalue("agreement")
    with pytest.raises(RestrictedError):
        Bid.objects.filter(pk=made.bid_id).delete()
    assert Agreement.objects.filter(pk=made.pk).exists()


def test_a_process_with_an_agreement_can_be_removed(request):
    made = request.getfixturevalue("agreement")
    Process.objects.filter(pk=made.tender.process_id).delete()
    assert not Agreement.objects.exists()
    assert not Tender.objects.exists()
