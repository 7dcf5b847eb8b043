"""One timed run of Samenspraak's side on one ``.pb`` file, in its own process.

Called by benchmarks.pb; writes a JSON result file. Timed separately, best of ``--repeat``:

- parsing: ``samenspraak.core.pb.read_pb(path)`` (file read included);
- the rule: ``samenspraak.core.pb.rules.tally(election, rule, increment=...)`` on the parsed
  election (its own conversion to arrays included, since every call starts from an
  ``Election``). The first call is reported on its own (``first_seconds``: what a one-off
  ``samenspraak pb tally`` pays, first-call set-up included); ``seconds`` is the best of the
  ``--repeat`` calls after it.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from benchmarks.pb_reference_worker import digest


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", required=True)
    parser.add_argument("--rule", required=True)
    parser.add_argument("--increment", default="1")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", required=True)
    options = parser.parse_args()

    from samenspraak.core.pb import read_pb
    from samenspraak.core.pb.rules import tally

    parse_times = []
    election = None
    for _ in range(max(1, options.repeat)):
        started = time.perf_counter()
        election = read_pb(Path(options.file))
        parse_times.append(time.perf_counter() - started)
    assert election is not None
    increment = Decimal(options.increment)
    started = time.perf_counter()
    tally(election, options.rule, increment=increment)
    first_seconds = time.perf_counter() - started
    times = []
    outcome = None
    for _ in range(max(1, options.repeat)):
        started = time.perf_counter()
        outcome = tally(election, options.rule, increment=increment)
        times.append(time.perf_counter() - started)
    assert outcome is not None
    projects = [(p.id, Fraction(str(p.cost))) for p in election.projects]
    result = {
        "parse_seconds": min(parse_times),
        "seconds": min(times),
        "first_seconds": first_seconds,
        "runs": len(times),
        "selected": list(outcome.selected),
        "details": dict(outcome.details),
        "digest": digest(projects, [list(vote.vote) for vote in election.votes]),
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    Path(options.out).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
