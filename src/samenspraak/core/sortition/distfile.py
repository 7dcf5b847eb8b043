"""A published distribution file: the panels and their probabilities, so a draw can be redone
and checked without a solver.

When several distributions are optimal, the one HiGHS returns may differ between HiGHS
versions, and so may the panel a seed picks. Publishing the distribution removes that
dependency: anyone can check that every panel in the file meets the quotas and the household
rule, that the file belongs to the published people and categories files (their SHA-256), and
redo ``draw(panels, seed)`` with nothing but this package and numpy.

The document (JSON, UTF-8)::

    {
      "format": "samenspraak-sortition-distribution",
      "version": 1,
      "algorithm": "leximin",
      "panel_size": 5,
      "people_sha256": "<64 hex digits of the exact bytes of the people file>",
      "categories_sha256": "<64 hex digits of the exact bytes of the categories file>",
      "panels": [{"ids": ["p01", "p03", ...], "probability": "0.25"}, ...],
      "probabilities": {"p01": "0.5", ...}
    }

Probabilities are written as Python's ``repr`` of the float, which reads back to exactly the
same float, so the draw is reproduced bit for bit. Panels are in canonical order: the ids of a
panel sorted, the panels sorted (the order ``find_distribution`` returns and ``draw`` relies
on). Method: docs/methods/sortition.md.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from samenspraak.core.errors import InputError, Location
from samenspraak.core.sortition.draw import ALGORITHMS, Distribution, draw
from samenspraak.core.sortition.model import Person, Quota, Selection
from samenspraak.core.sortition.panels import PanelProblem

FORMAT_NAME = "samenspraak-sortition-distribution"
FORMAT_VERSION = 1
# How far the panel probabilities may sum from 1, and a person's stated probability may lie
# from the sum over their panels.
SUM_TOLERANCE = 1e-9

_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_KEYS = (
    "format",
    "version",
    "algorithm",
    "panel_size",
    "people_sha256",
    "categories_sha256",
    "panels",
    "probabilities",
)


@dataclass(frozen=True)
class DistributionMetadata:
    """What a distribution file says besides its panels.

    ``probabilities`` is everyone's selection probability as written in the file (checked
    against the panels when the file is read).
    """

    algorithm: str
    panel_size: int
    people_sha256: str
    categories_sha256: str
    probabilities: Mapping[str, float]


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` as 64 lowercase hex digits, as the file records it."""
    return hashlib.sha256(data).hexdigest()


def person_probabilities(panels: Distribution, ids: Sequence[str]) -> dict[str, float]:
    """Everyone's selection probability under ``panels``: ``ids`` first (0 if never seated),
    summed panel by panel exactly as ``select`` does."""
    probabilities = dict.fromkeys(ids, 0.0)
    for panel, probability in panels:
        for person_id in panel:
            probabilities[person_id] = probabilities.get(person_id, 0.0) + probability
    return probabilities


def dump_distribution(
    selection_or_panels: Selection | Distribution,
    *,
    panel_size: int,
    algorithm: str,
    people_sha256: str,
    categories_sha256: str,
) -> str:
    """The distribution file for a selection (or a bare distribution) as JSON text.

    With a ``Selection`` the per-person probabilities cover the whole pool (0 for people no
    panel seats); with bare panels only the people who appear in them. The text is read back
    before it is returned, so a distribution that breaks the format (panels not in canonical
    order, probabilities not summing to 1, ...) raises the same ``InputError`` as reading it.
    """
    if isinstance(selection_or_panels, Selection):
        selection = selection_or_panels
        if (selection.panel_size, selection.algorithm) != (panel_size, algorithm):
            raise ValueError(
                f"the selection has panel_size={selection.panel_size} and "
                f"algorithm={selection.algorithm!r}, not {panel_size} and {algorithm!r}"
            )
        panels = selection.panels
        probabilities = dict(selection.probabilities)
    else:
        panels = selection_or_panels
        probabilities = person_probabilities(panels, sorted({i for ids, _ in panels for i in ids}))
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "algorithm": algorithm,
        "panel_size": panel_size,
        "people_sha256": people_sha256,
        "categories_sha256": categories_sha256,
        "panels": [{"ids": list(ids), "probability": repr(float(p))} for ids, p in panels],
        "probabilities": {i: repr(float(p)) for i, p in probabilities.items()},
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    load_distribution(text, filename="distribution.json")
    return text


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _error(code: str, nl: str, en: str, filename: str, path: str | None) -> InputError:
    return InputError(
        code=code, message_nl=nl, message_en=en, location=Location(file=filename, field=path)
    )


def _number(value: object, filename: str, path: str) -> float:
    """A probability written as a string (``repr`` of a float) or a JSON number, finite."""
    number: float | None = None
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        number = float(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    if number is None:
        raise _error(
            "distribution_not_a_number",
            f"{json.dumps(value, ensure_ascii=False)} is geen getal; verwacht is een kans "
            'zoals "0.25".',
            f"{json.dumps(value, ensure_ascii=False)} is not a number; expected a probability "
            'such as "0.25".',
            filename,
            path,
        )
    if not math.isfinite(number):
        raise _error(
            "distribution_not_a_number",
            f"{value} is geen eindig getal.",
            f"{value} is not a finite number.",
            filename,
            path,
        )
    return number


def load_distribution(text: str, *, filename: str) -> tuple[Distribution, DistributionMetadata]:
    """Read a distribution file; ``InputError`` names the file and the JSON path
    (``panels[3].ids``) or line of whatever is wrong.

    Checked: valid JSON without repeated keys, format and version, every key present and of
    the right type, every panel of ``panel_size`` distinct ids in canonical order with a
    probability in [0, 1], the panel probabilities summing to 1 (within 1e-9), and every
    person's stated probability matching the sum over their panels (within 1e-9). Whether the
    panels meet the quotas is ``verify_distribution``'s job: it needs the pool.
    """
    try:
        document = json.loads(
            text, object_pairs_hook=_no_duplicates, parse_constant=_refuse_constant
        )
    except _DuplicateKey as error:
        raise _error(
            "distribution_duplicate_key",
            f"De sleutel '{error.key}' staat twee keer in hetzelfde object.",
            f"The key '{error.key}' appears twice in the same object.",
            filename,
            error.key,
        ) from None
    except json.JSONDecodeError as error:
        raise InputError(
            code="distribution_not_json",
            message_nl=f"Dit is geen geldige JSON: {error.msg} (kolom {error.colno}).",
            message_en=f"This is not valid JSON: {error.msg} (column {error.colno}).",
            location=Location(file=filename, line=error.lineno),
        ) from None
    except ValueError as error:
        raise _error(
            "distribution_not_json",
            f"Dit is geen geldige JSON: {error}.",
            f"This is not valid JSON: {error}.",
            filename,
            None,
        ) from None
    if not isinstance(document, dict):
        raise _error(
            "distribution_not_an_object",
            "Het bestand moet één JSON-object zijn ({...}).",
            "The file must be one JSON object ({...}).",
            filename,
            None,
        )
    if document.get("format") != FORMAT_NAME:
        raise _error(
            "distribution_format",
            f"Dit is geen verdelingsbestand: 'format' moet '{FORMAT_NAME}' zijn.",
            f"This is not a distribution file: 'format' must be '{FORMAT_NAME}'.",
            filename,
            "format",
        )
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version != FORMAT_VERSION:
        raise _error(
            "distribution_version",
            f"Versie {json.dumps(version)} wordt niet ondersteund; deze versie van "
            f"Samenspraak leest versie {FORMAT_VERSION}.",
            f"Version {json.dumps(version)} is not supported; this version of Samenspraak "
            f"reads version {FORMAT_VERSION}.",
            filename,
            "version",
        )
    for key in _KEYS:
        if key not in document:
            raise _error(
                "distribution_missing_key",
                f"De sleutel '{key}' ontbreekt.",
                f"The key '{key}' is missing.",
                filename,
                key,
            )
    algorithm = document["algorithm"]
    if algorithm not in ALGORITHMS:
        raise _error(
            "distribution_algorithm",
            f"Onbekend algoritme {json.dumps(algorithm)}; kies uit {', '.join(ALGORITHMS)}.",
            f"Unknown algorithm {json.dumps(algorithm)}; choose from {', '.join(ALGORITHMS)}.",
            filename,
            "algorithm",
        )
    panel_size = document["panel_size"]
    if not isinstance(panel_size, int) or isinstance(panel_size, bool) or panel_size < 1:
        raise _error(
            "distribution_panel_size",
            f"De panelgrootte moet een geheel getal van minstens 1 zijn, niet "
            f"{json.dumps(panel_size)}.",
            f"The panel size must be a whole number of at least 1, not {json.dumps(panel_size)}.",
            filename,
            "panel_size",
        )
    hashes: dict[str, str] = {}
    for key in ("people_sha256", "categories_sha256"):
        value = document[key]
        if not isinstance(value, str) or not _SHA256.fullmatch(value):
            raise _error(
                "distribution_sha256",
                "Verwacht is een SHA-256: 64 tekens 0-9 en a-f.",
                "Expected a SHA-256: 64 characters 0-9 and a-f.",
                filename,
                key,
            )
        hashes[key] = value
    panels = _panels(document["panels"], panel_size, filename)
    probabilities = _person_probabilities(document["probabilities"], panels, filename)
    metadata = DistributionMetadata(
        algorithm=algorithm,
        panel_size=panel_size,
        people_sha256=hashes["people_sha256"],
        categories_sha256=hashes["categories_sha256"],
        probabilities=probabilities,
    )
    return panels, metadata


def _panels(entries: object, panel_size: int, filename: str) -> Distribution:
    if not isinstance(entries, list) or not entries:
        raise _error(
            "distribution_no_panels",
            "'panels' moet een niet-lege lijst van panels zijn.",
            "'panels' must be a non-empty list of panels.",
            filename,
            "panels",
        )
    panels: list[tuple[tuple[str, ...], float]] = []
    for k, entry in enumerate(entries):
        at = f"panels[{k}]"
        if not isinstance(entry, dict):
            raise _error(
                "distribution_panel",
                "Een panel is een object met 'ids' en 'probability'.",
                "A panel is an object with 'ids' and 'probability'.",
                filename,
                at,
            )
        for key in ("ids", "probability"):
            if key not in entry:
                raise _error(
                    "distribution_missing_key",
                    f"De sleutel '{key}' ontbreekt.",
                    f"The key '{key}' is missing.",
                    filename,
                    f"{at}.{key}",
                )
        ids = entry["ids"]
        if not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids):
            raise _error(
                "distribution_ids",
                "'ids' moet een lijst van niet-lege teksten zijn.",
                "'ids' must be a list of non-empty strings.",
                filename,
                f"{at}.ids",
            )
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise _error(
                "distribution_duplicate_id",
                f"De id '{repeated[0]}' staat twee keer in dit panel.",
                f"The id '{repeated[0]}' appears twice in this panel.",
                filename,
                f"{at}.ids",
            )
        if len(ids) != panel_size:
            raise _error(
                "distribution_panel_size_mismatch",
                f"Dit panel heeft {len(ids)} mensen; de panelgrootte is {panel_size}.",
                f"This panel has {len(ids)} people; the panel size is {panel_size}.",
                filename,
                f"{at}.ids",
            )
        if ids != sorted(ids):
            raise _error(
                "distribution_not_canonical",
                "De ids van een panel moeten gesorteerd zijn.",
                "The ids of a panel must be sorted.",
                filename,
                f"{at}.ids",
            )
        probability = _number(entry["probability"], filename, f"{at}.probability")
        if not 0.0 <= probability <= 1.0:
            raise _error(
                "distribution_probability_range",
                f"Een kans ligt tussen 0 en 1, niet {probability!r}.",
                f"A probability lies between 0 and 1, not {probability!r}.",
                filename,
                f"{at}.probability",
            )
        panel = tuple(ids)
        if panels and panel <= panels[-1][0]:
            raise _error(
                "distribution_not_canonical",
                f"De panels moeten gesorteerd zijn, elk één keer; dit panel hoort vóór "
                f"panels[{k - 1}].",
                f"The panels must be sorted, each once; this panel belongs before panels[{k - 1}].",
                filename,
                at,
            )
        panels.append((panel, probability))
    total = math.fsum(p for _, p in panels)
    if abs(total - 1.0) > SUM_TOLERANCE:
        raise _error(
            "distribution_sum",
            f"De kansen van de panels tellen op tot {total!r}, niet tot 1.",
            f"The probabilities of the panels add up to {total!r}, not to 1.",
            filename,
            "panels",
        )
    return tuple(panels)


def _person_probabilities(value: object, panels: Distribution, filename: str) -> dict[str, float]:
    if not isinstance(value, dict):
        raise _error(
            "distribution_probabilities",
            "'probabilities' moet een object {id: kans} zijn.",
            "'probabilities' must be an object {id: probability}.",
            filename,
            "probabilities",
        )
    stated = {
        person_id: _number(text, filename, f"probabilities.{person_id}")
        for person_id, text in value.items()
    }
    computed = person_probabilities(panels, list(stated))
    for person_id, probability in computed.items():
        if person_id not in stated:
            raise _error(
                "distribution_probability_missing",
                f"De kans van '{person_id}', die in een panel staat, ontbreekt.",
                f"The probability of '{person_id}', who is on a panel, is missing.",
                filename,
                f"probabilities.{person_id}",
            )
        if abs(stated[person_id] - probability) > SUM_TOLERANCE:
            raise _error(
                "distribution_probability_mismatch",
                f"Hier staat {stated[person_id]!r}, maar de panels geven {probability!r}.",
                f"This says {stated[person_id]!r}, but the panels give {probability!r}.",
                filename,
                f"probabilities.{person_id}",
            )
    return stated


def verify_distribution(
    panels: Distribution,
    people: Sequence[Person],
    quotas: Sequence[Quota],
    panel_size: int,
    *,
    filename: str = "distribution.json",
) -> None:
    """Check every panel against the pool: ``InputError`` names the first panel
    (``panels[3].ids``) with an unknown id, the wrong size, a quota it breaks or two people of
    one household. Uses the same quota and household structures as the solver
    (``PanelProblem``), without solving anything."""
    problem = PanelProblem(people, quotas, panel_size)
    index = {person.id: i for i, person in enumerate(problem.people)}
    for k, (ids, _) in enumerate(panels):
        at = f"panels[{k}].ids"
        if len(ids) != panel_size or len(set(ids)) != len(ids):
            raise _error(
                "distribution_panel_size_mismatch",
                f"Dit panel heeft {len(set(ids))} verschillende mensen; de panelgrootte is "
                f"{panel_size}.",
                f"This panel has {len(set(ids))} different people; the panel size is {panel_size}.",
                filename,
                at,
            )
        unknown = [person_id for person_id in ids if person_id not in index]
        if unknown:
            raise _error(
                "distribution_unknown_id",
                f"De id '{unknown[0]}' staat niet in het bestand met mensen.",
                f"The id '{unknown[0]}' is not in the people file.",
                filename,
                at,
            )
        members = np.array([index[person_id] for person_id in ids], dtype=np.intp)
        seated = problem.person_membership[:, members].sum(axis=1)
        for q, quota in enumerate(problem.quotas):
            if not quota.min <= int(seated[q]) <= quota.max:
                raise _error(
                    "distribution_breaks_quota",
                    f"Dit panel heeft {int(seated[q])} mensen met {quota.feature}="
                    f"{quota.value}; het quotum is [{quota.min}, {quota.max}].",
                    f"This panel has {int(seated[q])} people with {quota.feature}="
                    f"{quota.value}; the quota is [{quota.min}, {quota.max}].",
                    filename,
                    at,
                )
        on_panel = set(members.tolist())
        for i in members:
            together = sorted(
                problem.people[j].id for j in problem.household_of(int(i)) if j in on_panel
            )
            if len(together) > 1:
                raise _error(
                    "distribution_breaks_household",
                    f"{' en '.join(together)} wonen in hetzelfde huishouden "
                    f"('{problem.people[int(i)].household}') en zitten samen in dit panel.",
                    f"{' and '.join(together)} share a household "
                    f"('{problem.people[int(i)].household}') and are on this panel together.",
                    filename,
                    at,
                )


def select_from_distribution(
    panels: Distribution,
    people: Sequence[Person],
    *,
    seed: int,
    algorithm: str,
    panel_size: int,
) -> Selection:
    """The selection ``select`` would report for this distribution and seed, without solving:
    ``draw(panels, seed)`` and everyone's probability summed over the panels. Run
    ``verify_distribution`` first."""
    probabilities = person_probabilities(panels, [person.id for person in people])
    return Selection(
        algorithm=algorithm,
        seed=seed,
        panel_size=panel_size,
        selected=draw(panels, seed),
        probabilities=probabilities,
        min_probability=min(probabilities.values(), default=0.0),
        panels=panels,
    )
