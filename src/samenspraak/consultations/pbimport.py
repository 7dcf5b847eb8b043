"""Import a Pabulib ``.pb`` file as a closed PB consultation, so a municipality can re-count
any published instance with every rule and publish it as open data.

The whole file is read and checked first (``core.pb.pabulib.read_pb``); an error names the
line and what was expected, and nothing is stored. Then, in one transaction, the
consultation, its items (projects), ballots and choices are written with ``bulk_create`` in
batches, and the results are computed as when a consultation closes. Voters become ballots
with the voter key ``pb:<voter_id>`` (an imported file has no verified voters); an ``age``
column becomes an age band, and a ``neighborhood`` that names a district of the process's
municipality becomes that district.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import TextIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samenspraak.common.audit import audit_record
from samenspraak.consultations import adapters, results
from samenspraak.consultations.models import (
    Ballot,
    Choice,
    Consultation,
    ConsultationKind,
    ConsultationStatus,
    Item,
)
from samenspraak.core.pb.model import Election
from samenspraak.core.pb.pabulib import read_pb

BALLOT_BATCH = 5000
# Ballots and choices are inserted with plain multi-row INSERTs: building a model per row
# made a 61,668-ballot file take ten times as long.
BALLOT_COLUMNS = (
    "consultation",
    "voter_key",
    "submitted_at",
    "updated_at",
    "revision",
    "age_band",
    "district",
)
CHOICE_COLUMNS = ("ballot", "item", "value", "answer", "reason")
MAX_COST = Decimal("999999999999.99")


@dataclass(frozen=True)
class ImportReport:
    consultation: Consultation
    ballots: int
    items: int
    choices: int
    seconds_read: float
    seconds_store: float
    seconds_count: float


def read_election(source: str | TextIO, *, filename: str) -> Election:
    """The file (its text or an open text stream) as a core ``Election``;
    ``ValidationError`` with the reader's message (line number and what was expected) when
    it is malformed."""
    try:
        return read_pb(source, filename=filename)
    except adapters.InputError as exc:
        raise ValidationError(adapters.error_message(exc), code=exc.code) from exc
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("%(file)s is not a text file in UTF-8.") % {"file": filename}, code="pb_encoding"
        ) from exc


def _unique_slug(title: str) -> str:
    base = (slugify(title)[:70] or "pb-import").strip("-")
    slug, n = base, 2
    while Consultation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _voter_key(voter_id: str) -> str:
    key = f"pb:{voter_id}"
    if len(key) <= 80:
        return key
    return "pb:" + hashlib.sha256(voter_id.encode()).hexdigest()


def _insert(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT ``rows`` (values in the order of ``fields``; a poll's answer and reason are
    added empty for choices), many rows per statement."""
    if model is Choice:
        rows = [(*row, "", "") for row in rows]
    if not rows:
        return
    ops = connection.ops
    columns = [model._meta.get_field(name).column for name in fields]
    width = len(columns)
    limit = connection.features.max_query_params or 30000
    per_statement = max(1, min(1000, limit // width))
    head = "INSERT INTO {} ({}) VALUES ".format(  # noqa: S608 (names from the model)
        ops.quote_name(model._meta.db_table),
        ", ".join(ops.quote_name(column) for column in columns),
    )
    group = "(" + ", ".join(["%s"] * width) + ")"
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if connection.vendor == "postgresql" and hasattr(raw, "copy"):
            # PostgreSQL with psycopg 3: COPY is several times faster than INSERTs.
            copy_sql = "COPY {} ({}) FROM STDIN".format(
                ops.quote_name(model._meta.db_table),
                ", ".join(ops.quote_name(column) for column in columns),
            )
            with raw.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            # Table and column names come from the model (quoted); every value is a parameter.
            cursor.execute(
                head + ", ".join([group] * len(chunk)),
                [value for row in chunk for value in row],
            )


def _district_id(districts: dict, name: str) -> int | None:
    district = districts.get(name.casefold()) if name else None
    return district.pk if district else None


def _moment(day: datetime.date | None, *, end: bool) -> datetime.datetime | None:
    if day is None:
        return None
    clock = datetime.time(23, 59) if end else datetime.time(0, 0)
    return timezone.make_aware(datetime.datetime.combine(day, clock))


def _check(data: adapters.ImportedConsultation, *, filename: str) -> None:
    """What the database cannot hold, refused before anything is written."""
    errors = []
    if not data.items:
        errors.append(_("%(file)s: the file has no projects.") % {"file": filename})
    for item in data.items:
        if len(item.code) > 64:
            errors.append(
                _("%(file)s: project id '%(id)s' is longer than 64 characters.")
                % {"file": filename, "id": item.code[:70]}
            )
        if item.cost < 0 or item.cost > MAX_COST:
            errors.append(
                _("%(file)s: project %(id)s has a cost this platform cannot store.")
                % {"file": filename, "id": item.code}
            )
    if data.budget > MAX_COST:
        errors.append(_("%(file)s: the budget is too large.") % {"file": filename})
    codes = {item.code for item in data.items}
    unknown = sorted({code for b in data.ballots for code, _v in b.choices} - codes)
    if unknown:
        errors.append(
            _("%(file)s: votes name projects that are not in PROJECTS: %(ids)s.")
            % {"file": filename, "ids": ", ".join(unknown[:10])}
        )
    keys = [_voter_key(b.voter_id) for b in data.ballots]
    if len(set(keys)) != len(keys):
        errors.append(_("%(file)s: a voter_id occurs twice.") % {"file": filename})
    if errors:
        raise ValidationError(errors[:10])


def consultation_import_pb(
    *,
    actor,
    process,
    source: str | TextIO,
    filename: str,
    title: str = "",
    rule: str = "mes-add1",
    phase=None,
) -> ImportReport:
    """Read ``source`` (a ``.pb`` file's text or an open text stream) and store it as a
    closed PB consultation of ``process``, counted with every rule; ``rule`` is the one
    that gives the outcome."""
    if not actor.has_perm("consultations.add_consultation", process):
        raise PermissionDenied("consultations.add_consultation")
    started = time.perf_counter()
    election = read_election(source, filename=filename)
    try:
        data = adapters.imported_consultation(election, filename=filename)
    except adapters.InputError as exc:
        raise ValidationError(adapters.error_message(exc), code=exc.code) from exc
    _check(data, filename=filename)
    read_seconds = time.perf_counter() - started

    now = timezone.now()
    opens_at = _moment(data.date_begin, end=False) or now - datetime.timedelta(days=1)
    closes_at = _moment(data.date_end, end=True) or now
    if closes_at <= opens_at:
        closes_at = opens_at + datetime.timedelta(days=1)
    districts = {d.name.casefold(): d for d in process.municipality.districts.all()}

    started = time.perf_counter()
    with transaction.atomic():
        consultation = Consultation.objects.create(
            process=process,
            phase=phase,
            title=(title or data.title)[:200],
            slug=_unique_slug(title or data.title),
            description=data.description,
            kind=ConsultationKind.PB,
            opens_at=opens_at,
            closes_at=closes_at,
            status=ConsultationStatus.CLOSED,
            ask_demographics=False,
            ballot_type=data.ballot_type,
            budget=data.budget,
            min_choices=data.min_choices,
            max_choices=data.max_choices,
            points=data.points,
            rule=rule,
            pb_meta=data.pb_meta,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        items = Item.objects.bulk_create(
            [
                Item(
                    consultation=consultation,
                    position=position,
                    code=item.code,
                    title=item.title,
                    cost=item.cost,
                    category=item.category,
                    district=districts.get(item.neighbourhood.casefold()),
                    extra={
                        **item.extra,
                        **({"neighborhood": item.neighbourhood} if item.neighbourhood else {}),
                    },
                )
                for position, item in enumerate(data.items)
            ]
        )
        if any(item.pk is None for item in items):
            items = list(consultation.items.all())
        item_ids = {item.code: item.pk for item in items}
        moment = connection.ops.adapt_datetimefield_value(timezone.now())
        for start in range(0, len(data.ballots), BALLOT_BATCH):
            _insert(
                Ballot,
                BALLOT_COLUMNS,
                [
                    (
                        consultation.pk,
                        _voter_key(b.voter_id),
                        moment,
                        moment,
                        1,
                        b.age_band,
                        _district_id(districts, b.neighbourhood),
                    )
                    for b in data.ballots[start : start + BALLOT_BATCH]
                ],
            )
        ballot_ids = dict(consultation.ballots.values_list("voter_key", "pk"))
        choices = [
            (ballot_ids[_voter_key(b.voter_id)], item_ids[code], value)
            for b in data.ballots
            for code, value in b.choices
        ]
        _insert(Choice, CHOICE_COLUMNS, choices)
        choices_total = len(choices)
        store_seconds = time.perf_counter() - started
        started = time.perf_counter()
        results.results_compute(consultation)
        count_seconds = time.perf_counter() - started
        audit_record(
            actor=actor,
            action="consultation_import_pb",
            obj=consultation,
            process_id=process.pk,
            changes={
                "file": filename,
                "projects": len(items),
                "ballots": len(data.ballots),
                "rule": rule,
            },
        )
    return ImportReport(
        consultation=consultation,
        ballots=len(data.ballots),
        items=len(items),
        choices=choices_total,
        seconds_read=round(read_seconds, 3),
        seconds_store=round(store_seconds, 3),
        seconds_count=round(count_seconds, 3),
    )
