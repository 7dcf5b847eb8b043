"""Readable names and short explanations of the voting rules and fairness measures, for the
results page, the import form and the open data (B1 Dutch through the translations)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

RULE_LABELS = {
    "greedy": gettext_lazy("Most votes first"),
    "mes": gettext_lazy("Method of Equal Shares"),
    "mes-add1": gettext_lazy("Method of Equal Shares, completed"),
    "phragmen": gettext_lazy("Phragmén's method"),
    "max-utilitarian": gettext_lazy("Greatest total satisfaction"),
    "official": gettext_lazy("Official rule of the file"),
    "greedy-no-skip": gettext_lazy("Most votes first, stop at the first that does not fit"),
    "greedy-threshold": gettext_lazy("Most votes first, with a minimum number of votes"),
}

RULE_HELP = {
    "greedy": gettext_lazy(
        "The project with the most votes is funded first, then the next one, as long as "
        "the money lasts. A project that does not fit is skipped."
    ),
    "mes": gettext_lazy(
        "Every voter gets an equal share of the budget. A project is funded when its voters "
        "can pay for it together from their shares. So every group of voters gets a fair "
        "part of the money."
    ),
    "mes-add1": gettext_lazy(
        "As the Method of Equal Shares, but money that is left over is used as well: the "
        "shares are raised step by step, and what then remains goes to the projects with "
        "the most votes. This is how equalshares.net counts."
    ),
    "phragmen": gettext_lazy(
        "Voters 'earn' money over time and buy projects together; every step funds the "
        "project whose voters can pay for it first."
    ),
    "max-utilitarian": gettext_lazy(
        "The combination of projects that gives voters the most in total, measured in the "
        "money spent on projects they chose."
    ),
    "official": gettext_lazy("The rule the file's META names, as the municipality counted."),
}

# The fairness measures of core.pb.analysis shown on the results page, in this order, with
# how each is shown: a percentage, a number or an amount.
ANALYSIS_MEASURES = (
    (
        "share_with_funded_project",
        "percent",
        gettext_lazy("Voters with at least one funded project they chose"),
    ),
    ("average_funded_projects", "number", gettext_lazy("Funded projects per voter, on average")),
    (
        "average_cost_satisfaction",
        "money",
        gettext_lazy("Money for projects a voter chose, on average"),
    ),
    (
        "average_cost_satisfaction_share",
        "percent",
        gettext_lazy("Share of the budget for projects a voter chose, on average"),
    ),
    (
        "gini_cost_satisfaction",
        "number",
        gettext_lazy("Inequality between voters (Gini: 0 is equal, 1 is very unequal)"),
    ),
    (
        "average_capped_fair_share",
        "percent",
        gettext_lazy("Part of their fair share that voters get, on average"),
    ),
)
EJR_LABELS = {
    "ejr": gettext_lazy("Fair to every group of voters (EJR)"),
    "up_to_one": gettext_lazy("Fair to every group of voters, but for one project (EJR-1)"),
}


def rule_label(rule: str) -> str:
    label = RULE_LABELS.get(rule)
    return str(label) if label else rule


def rule_help(rule: str) -> str:
    text = RULE_HELP.get(rule)
    return str(text) if text else ""


def yes_no(value: object) -> str:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return _("cannot be checked")
