"""The budget page of a process: the gap, the candidate measures and the optimiser's packages.

A GET form (objective, number of alternatives, always/never in the package), so the page
works without JavaScript and every choice can be bookmarked or shared as an address.
"""

from __future__ import annotations

from django.shortcuts import render

from samenspraak.common.permissions import require_perm
from samenspraak.processes import selectors as process_selectors
from samenspraak.proposals import budget


def budget_page(request, slug: str):
    process = process_selectors.process_get_for_user(slug=slug, user=request.user)
    require_perm(request, "proposals.view_budget", process)
    whole = request.user.has_perm("proposals.view_whole_budget", process)
    page = budget.budget_page(process=process, user=request.user, query=request.GET, whole=whole)
    return render(
        request,
        "proposals/budget.html",
        {
            "process": process,
            "page": page,
            "form": page.form,
            "outcome": page.outcome,
            "can_assess": request.user.has_perm("proposals.manage_proposals", process),
            "can_save": request.user.has_perm("proposals.add_package", process),
            "save_query": budget.choice_params(request.GET),
        },
    )
