"""Locust voters for benchmarks/consultation_load.py (not a test; run by that harness).

Each simulated voter fetches the ballot once (for the CSRF cookie), then posts complete
ballots as fast as the server answers: a fresh voting code each time, typed on the ballot,
with one to three projects that fit the budget. One post in ten reuses a code that has
voted already, which changes that ballot. A post counts as a success only when the server
redirects to the thank-you page. Voters are spread over the waitress processes in
BENCH_HOSTS.
"""

from __future__ import annotations

import itertools
import os
import random
from urllib.parse import urlencode

from locust import FastHttpUser, constant, task

CODES = open(os.environ["BENCH_CODES_FILE"], encoding="utf-8").read().split()  # noqa: SIM115
PROJECTS = os.environ["BENCH_PROJECTS"].split(",")
SLUG = os.environ["BENCH_SLUG"]
HOSTS = os.environ["BENCH_HOSTS"].split(",")
BALLOT = f"/raadplegingen/{SLUG}/stemmen/"
_fresh = itertools.count()
_voters = itertools.count()
_used: list[str] = []
_random = random.Random(20260501)  # noqa: S311 - choices of simulated voters, not secrets


class Voter(FastHttpUser):
    wait_time = constant(0)
    host = HOSTS[0]

    def on_start(self) -> None:
        self.host = HOSTS[next(_voters) % len(HOSTS)]
        self.client.base_url = self.host
        self.client.get(BALLOT, name="ballot page")
        self.token = next(c.value for c in self.client.cookiejar if c.name == "csrftoken")

    def _code(self) -> str:
        if _used and _random.random() < 0.1:
            return _random.choice(_used)
        code = CODES[next(_fresh) % len(CODES)]
        _used.append(code)
        return code

    @task
    def vote(self) -> None:
        chosen = _random.sample(PROJECTS[:8], _random.randint(1, 3))  # at most 3 fit the budget
        body = urlencode(
            [("csrfmiddlewaretoken", self.token), ("code", self._code())]
            + [("projects", p) for p in chosen]
            + [("age_band", _random.choice(["", "18-29", "30-44", "45-64", "65+"]))]
        )
        # A fresh session per ballot: each post is another voter with their own letter.
        self.client.cookiejar.clear()
        with self.client.post(
            BALLOT,
            data=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={self.token}",
            },
            allow_redirects=False,
            catch_response=True,
            name="ballot",
        ) as response:
            if response.status_code == 302 and "/bedankt/" in response.headers.get("Location", ""):
                response.success()
            else:
                response.failure(f"status {response.status_code}")
