"""The Method of Equal Shares (MES) for approval ballots with cost satisfaction, exact.

Definition (Peters, Pierczyński and Skowron, NeurIPS 2021; pabutools
``method_of_equal_shares(sat_class=Cost_Sat)``): every voter starts with an equal share of the
budget. A project is *affordable* when its supporters together still have at least its cost.
Its price per supporter ``q`` is the smallest amount such that supporters each paying
``min(budget, q)`` cover the cost; its *affordability* is ``q / cost`` (with cost satisfaction a
supporter's satisfaction is the cost, so this is pabutools' ``afford_factor``). Each round funds
the affordable project with the lowest affordability (ties: project id, lexicographically), its
supporters pay ``min(budget, q)``, and the rule stops when no project is affordable. Projects
without supporters or without cost never take part (their cost satisfaction is 0).

How it is computed fast and exactly, in two runs that give the same outcome:

- ``_FloatRun`` (tried first): every voter's budget is a float in a numpy array, with one
  rigorous bound on how far any float budget can be from the exact one (it grows by each
  price's error bound per round). A project's price is found by the poor/rich iteration over
  its supporters' budgets, vectorised. Every decision (affordable or not, who is poor at the
  price, which project is cheapest) is taken only when its margin exceeds the error bound;
  otherwise the run gives up (``_Uncertain``). Ties between projects whose poor supporters all
  have nothing left are settled exactly (the price is then ``cost / rich supporters``).
- ``_ExactRun`` (when the float run gives up, a few per cent of small random elections and
  none of the real files): voters with the same remaining budget form a *class* whose budget
  is an exact ``Fraction`` of money scaled to whole numbers; prices are water-fillings over the
  classes of the supporters (``numpy.bincount``) in floats with an error bound, every price
  paid and every close decision is computed exactly.
- As in pabutools, affordabilities only grow during a run: the previous value is a lower bound,
  projects are visited in that order, and only projects whose supporters paid since their last
  visit are re-evaluated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import inf

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_array  # type: ignore[import-untyped]

from samenspraak.core.pb.rules._profile import IntArray, Profile

FloatArray = npt.NDArray[np.float64]
EPS = float(np.finfo(np.float64).eps)
ZERO = Fraction(0)


class MesData:
    """What every MES run on one profile shares: the projects that can take part, their
    supporters and which projects share a supporter."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        costs = profile.costs
        self.candidates: list[int] = [
            p for p in range(profile.n_projects) if profile.approvals[p] > 0 and costs[p] > 0
        ]
        self.supporters: list[IntArray] = [profile.supporters(p) for p in range(profile.n_projects)]
        n, m = profile.n_voters, profile.n_projects
        incidence = csr_array(
            (
                np.ones(len(profile.entry_project), dtype=np.int32),
                (profile.entry_voter, profile.entry_project),
            ),
            shape=(max(n, 1), max(m, 1)),
        )
        shared = (incidence.T @ incidence).toarray() > 0
        self.neighbours: list[list[int]] = [
            [int(x) for x in np.flatnonzero(shared[p])] if p < shared.shape[0] else []
            for p in range(m)
        ]


@dataclass(slots=True)
class _Eval:
    """One project's water-filling: its supporters' classes sorted by budget (exactly),
    voters per class, the float price and a bound on its error."""

    classes: IntArray
    counts: IntArray
    poor: int
    afford: float
    err: float
    payment: Fraction | None = None


class _ExactRun:
    def __init__(self, data: MesData, voter_budget: Fraction) -> None:
        self.data = data
        self.costs = data.profile.costs
        self.cls = np.zeros(data.profile.n_voters, dtype=np.int64)
        self.budgets: list[Fraction] = [voter_budget]
        self.floats: list[float] = [float(voter_budget)]
        self.float_array = np.asarray(self.floats)
        self.index: dict[Fraction, int] = {voter_budget: 0}

    # -- one project's price ------------------------------------------------------------

    def evaluate(self, project: int) -> _Eval | None:
        """The project's price (float, with an error bound), or ``None`` when its supporters
        no longer have its cost together."""
        voters = self.data.supporters[project]
        cost = self.costs[project]
        counts_all = np.bincount(self.cls[voters], minlength=len(self.budgets))
        present = np.flatnonzero(counts_all)
        budgets = self.float_array[present]
        order = np.argsort(budgets, kind="stable")
        present, budgets = present[order], budgets[order]
        if len(budgets) > 1 and bool(np.any(budgets[1:] == budgets[:-1])):
            present = self._exact_order(present, budgets)
            budgets = self.float_array[present]
        counts = counts_all[present]
        money = counts * budgets
        total = float(money.sum())
        size = len(present)
        slack = 4 * (size + 2) * EPS * total
        if total + slack < cost:
            return None
        if total - slack < cost and self._exact_total(present, counts) < cost:
            return None
        before = np.cumsum(money) - money
        rich = len(voters) - (np.cumsum(counts) - counts)
        prices = (cost - before) / rich
        fits = prices <= budgets
        poor = int(np.argmax(fits)) if bool(fits.any()) else size - 1
        price = float(prices[poor])
        err = 4 * (size + 2) * EPS * cost / float(rich[poor]) + 2 * EPS * price
        margin_up = float(budgets[poor]) - price
        margin_down = price - float(budgets[poor - 1]) if poor > 0 else inf
        result = _Eval(present, counts, poor, price / cost, err / cost)
        if min(margin_up, margin_down) <= err + 2 * EPS * float(budgets[-1]):
            self.exact_payment(project, result)
        return result

    def _exact_order(self, present: IntArray, budgets: FloatArray) -> IntArray:
        """Re-sort classes whose float budgets are equal by their exact budgets (float
        rounding is monotone, so the result is the exact order)."""
        keys = [(float(budgets[i]), self.budgets[int(present[i])]) for i in range(len(present))]
        order = sorted(range(len(present)), key=keys.__getitem__)
        return present[np.asarray(order, dtype=np.int64)]

    def _exact_total(self, present: IntArray, counts: IntArray) -> Fraction:
        return sum(
            (int(m) * self.budgets[int(k)] for k, m in zip(present, counts, strict=True)), ZERO
        )

    def exact_payment(self, project: int, ev: _Eval) -> Fraction:
        """The exact price per supporter: the exact water level, starting from the float
        guess of the number of poor classes and moving it until it is right."""
        if ev.payment is not None:
            return ev.payment
        cost = self.costs[project]
        budgets = [self.budgets[int(k)] for k in ev.classes]
        counts = [int(m) for m in ev.counts]
        poor = ev.poor
        paid = sum((counts[i] * budgets[i] for i in range(poor) if budgets[i]), ZERO)
        rich = sum(counts[poor:])
        while True:
            price = (cost - paid) / rich
            if price > budgets[poor]:  # this class cannot pay the price either: it is poor
                paid += counts[poor] * budgets[poor]
                rich -= counts[poor]
                poor += 1
            elif poor > 0 and price <= budgets[poor - 1]:  # the last poor class can pay
                poor -= 1
                paid -= counts[poor] * budgets[poor]
                rich += counts[poor]
            else:
                break
        ev.poor = poor
        ev.payment = price
        ev.afford = float(price / cost)
        ev.err = 2 * EPS * ev.afford
        return price

    # -- funding a project -------------------------------------------------------------

    def pay(self, project: int, price: Fraction) -> None:
        voters = self.data.supporters[project]
        touched, inverse = np.unique(self.cls[voters], return_inverse=True)
        new_classes = np.empty(len(touched), dtype=np.int64)
        for i, k in enumerate(touched.tolist()):
            budget = self.budgets[k]
            left = budget - price if budget > price else ZERO
            target = self.index.get(left)
            if target is None:
                target = len(self.budgets)
                self.index[left] = target
                self.budgets.append(left)
                self.floats.append(float(left))
            new_classes[i] = target
        self.cls[voters] = new_classes[inverse]
        if len(self.floats) != len(self.float_array):
            self.float_array = np.asarray(self.floats)

    # -- the rounds ------------------------------------------------------------------------

    def run(self) -> list[int]:
        data = self.data
        costs = self.costs
        rank = data.profile.name_rank
        remaining = set(data.candidates)
        lower: dict[int, float] = {
            p: (1.0 / float(data.profile.approvals[p])) * (1 - 4 * EPS) for p in remaining
        }
        evals: dict[int, _Eval] = {}
        dirty = dict.fromkeys(remaining, True)
        selected: list[int] = []
        while remaining:
            best_upper = inf
            visited: list[int] = []
            for project in sorted(remaining, key=lower.__getitem__):
                if lower[project] > best_upper:
                    break
                if dirty[project]:
                    ev = self.evaluate(project)
                    if ev is None:
                        remaining.discard(project)
                        continue
                    evals[project] = ev
                    dirty[project] = False
                    lower[project] = ev.afford - ev.err
                ev = evals[project]
                best_upper = min(best_upper, ev.afford + ev.err)
                visited.append(project)
            tied = [p for p in visited if lower[p] <= best_upper]
            if not tied:
                break
            if len(tied) == 1:
                winner = tied[0]
            else:
                winner = min(
                    tied,
                    key=lambda p: (self.exact_payment(p, evals[p]) / costs[p], rank[p]),
                )
            price = self.exact_payment(winner, evals[winner])
            selected.append(winner)
            remaining.discard(winner)
            self.pay(winner, price)
            for neighbour in data.neighbours[winner]:
                if neighbour in remaining:
                    dirty[neighbour] = True
        return selected


class _Uncertain(Exception):
    """A decision of the float run is within its error bound: the exact run must decide."""


class _FloatRun:
    """MES with every voter's budget as a float and a rigorous bound on its error.

    ``error`` bounds ``|float budget - exact budget|`` for every voter (a voter who spent
    everything holds exactly 0.0, without error). Every decision (affordable or not, who is
    poor at a price, which project is cheapest) is taken only when its float margin exceeds the
    bound; otherwise ``_Uncertain`` is raised and the exact run decides. Ties between projects
    whose price no voter with money left is too poor for are settled exactly here: that price
    is ``cost / rich supporters``.
    """

    def __init__(self, data: MesData, voter_budget: Fraction) -> None:
        self.data = data
        self.costs = data.profile.costs
        start = float(voter_budget)
        self.top = start
        n = data.profile.n_voters
        self.budgets = np.full(n, start)
        self.spent = np.zeros(n, dtype=bool)  # exactly 0 left
        self.error = EPS * start  # float(voter_budget) is within EPS / 2 of it

    def evaluate(self, project: int) -> _FloatEval | None:
        voters = self.data.supporters[project]
        cost = float(self.costs[project])
        budgets = self.budgets[voters]
        size = len(voters)
        total = float(budgets.sum())
        slack = size * self.error + 2 * size * EPS * total
        if total + slack < cost:
            return None
        if total - slack < cost:
            raise _Uncertain
        price = cost / size
        n_poor = -1
        poor = budgets < price
        for _ in range(100):
            count = int(np.count_nonzero(poor))
            if count == n_poor:
                break
            n_poor = count
            if n_poor == size:
                raise _Uncertain
            price = (cost - float(budgets[poor].sum())) / (size - n_poor)
            poor = budgets < price
        else:  # pragma: no cover - the poor set only grows, so this needs > 100 levels
            raise _Uncertain
        rich = size - n_poor
        with_money = poor & ~self.spent[voters]
        poor_with_money = int(np.count_nonzero(with_money))
        poor_money = cost - price * rich
        err = (
            poor_with_money * self.error + 2 * (n_poor + 2) * EPS * (cost + abs(poor_money))
        ) / rich + 2 * EPS * price
        if bool(np.any(np.abs(budgets - price) <= self.error + err)):
            raise _Uncertain
        return _FloatEval(poor, price / cost, err / cost + 2 * EPS * price / cost, price, err)

    def exact_afford(self, project: int, ev: _FloatEval) -> Fraction:
        """The exact affordability, when every poor supporter has nothing left."""
        voters = self.data.supporters[project]
        if bool(np.any(ev.poor & ~self.spent[voters])):
            raise _Uncertain
        rich = len(voters) - int(np.count_nonzero(ev.poor))
        return Fraction(1, rich)  # price cost / rich, divided by the cost

    def pay(self, project: int, ev: _FloatEval) -> None:
        voters = self.data.supporters[project]
        poor = voters[ev.poor]
        rich = voters[~ev.poor]
        self.budgets[poor] = 0.0
        self.spent[poor] = True
        self.budgets[rich] -= ev.price
        self.error += ev.price_err + EPS * self.top

    def run(self) -> list[int]:
        data = self.data
        rank = data.profile.name_rank
        remaining = set(data.candidates)
        lower: dict[int, float] = {
            p: (1.0 / float(data.profile.approvals[p])) * (1 - 4 * EPS) for p in remaining
        }
        evals: dict[int, _FloatEval] = {}
        dirty = dict.fromkeys(remaining, True)
        selected: list[int] = []
        while remaining:
            best_upper = inf
            visited: list[int] = []
            for project in sorted(remaining, key=lower.__getitem__):
                if lower[project] > best_upper:
                    break
                if dirty[project]:
                    ev = self.evaluate(project)
                    if ev is None:
                        remaining.discard(project)
                        continue
                    evals[project] = ev
                    dirty[project] = False
                    lower[project] = ev.afford - ev.afford_err
                ev = evals[project]
                best_upper = min(best_upper, ev.afford + ev.afford_err)
                visited.append(project)
            tied = [p for p in visited if lower[p] <= best_upper]
            if not tied:
                break
            if len(tied) == 1:
                winner = tied[0]
            else:
                winner = min(tied, key=lambda p: (self.exact_afford(p, evals[p]), rank[p]))
            selected.append(winner)
            remaining.discard(winner)
            self.pay(winner, evals[winner])
            for neighbour in data.neighbours[winner]:
                if neighbour in remaining:
                    dirty[neighbour] = True
        return selected


@dataclass(slots=True)
class _FloatEval:
    """A float water level: who is poor, the affordability and the price, with error bounds."""

    poor: npt.NDArray[np.bool_]
    afford: float
    afford_err: float
    price: float
    price_err: float


def method_of_equal_shares(
    data: MesData, voter_budget: Fraction, *, exact: bool = False
) -> list[int]:
    """MES with every voter starting with ``voter_budget`` (scaled money).

    The certified float run is tried first; when one of its decisions is too close to call
    within its error bound, the exact run decides (``exact=True``: only the exact run)."""
    if data.profile.n_voters == 0:
        return []
    if not exact:
        try:
            return _FloatRun(data, voter_budget).run()
        except _Uncertain:
            pass
    return _ExactRun(data, voter_budget).run()


@dataclass(frozen=True)
class AddOneResult:
    """The outcome of MES with the add-one completion before the greedy fill-up: the projects,
    the voter budget they were found with and how many increments that took."""

    selected: list[int]
    voter_budget: Fraction
    steps: int


def equal_shares_add_one(data: MesData, increment: int) -> AddOneResult:
    """pabutools ``method_of_equal_shares(voter_budget_increment=increment)``.

    Start with the budget divided equally; while the outcome is within the budget and some
    project taking part in MES would still fit, raise every voter's budget by ``increment``
    (scaled money) and run MES again. Stop at an outcome that no longer fits (then the last
    one that fitted counts) or that leaves no room for another such project.
    """
    profile = data.profile
    if profile.n_voters == 0:
        return AddOneResult([], Fraction(0), 0)
    voter_budget = Fraction(profile.budget, profile.n_voters)
    previous: list[int] = []
    steps = 0
    while True:
        outcome = method_of_equal_shares(data, voter_budget)
        total = sum(profile.costs[p] for p in outcome)
        if total > profile.budget:
            return AddOneResult(previous, voter_budget - increment, steps - 1)
        if _exhaustive(profile.costs, profile.budget, outcome, data.candidates, total):
            return AddOneResult(outcome, voter_budget, steps)
        previous = outcome
        voter_budget += increment
        steps += 1


def _exhaustive(
    costs: Sequence[int], budget: int, chosen: Sequence[int], available: Sequence[int], total: int
) -> bool:
    chosen_set = set(chosen)
    return all(p in chosen_set or costs[p] + total > budget for p in available)
