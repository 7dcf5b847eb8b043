"""API for proposals: one view per operation, the same selectors, services and rules as the pages.

Reads follow the page rules (drafts only for their authors, the committee's facilitator and
staff; the council from "submitted" on; everyone from "in consultation" on). Writes call
``services.proposal_create`` and ``services.proposal_update``, so they validate, version and
audit exactly like the forms. Amounts are strings with two decimals, never floats.
"""

from __future__ import annotations

from dataclasses import asdict

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from samenspraak.processes import selectors as process_selectors
from samenspraak.proposals import budget, packages, selectors, services
from samenspraak.proposals.models import (
    AuthorKind,
    BudgetPackage,
    NormOperator,
    Priority,
    ProposalKind,
    ProposalStatus,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


class EffectSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    structural = serializers.DecimalField(**MONEY, required=False, default="0.00")
    incidental = serializers.DecimalField(**MONEY, required=False, default="0.00")


class RequirementSerializer(serializers.Serializer):
    aspect = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    priority = serializers.ChoiceField(choices=Priority.values, default=Priority.MUST)
    cost_estimate = serializers.DecimalField(**MONEY, required=False, allow_null=True, default=None)
    norm_quantity = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    norm_operator = serializers.ChoiceField(
        choices=["", *NormOperator.values], required=False, allow_blank=True, default=""
    )
    norm_value = serializers.DecimalField(
        max_digits=14, decimal_places=4, required=False, allow_null=True, default=None
    )
    norm_unit = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class AuthorOutput(serializers.Serializer):
    kind = serializers.CharField(source="author_kind")
    committee = serializers.SlugField(
        source="author_committee.slug", read_only=True, allow_null=True
    )
    organisation = serializers.CharField(source="author_organisation")
    label = serializers.CharField(source="author_label")


class AssessmentOutput(serializers.Serializer):
    support = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    impact_score = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    people_affected = serializers.IntegerField(allow_null=True)
    exclusive_group = serializers.CharField()


class ProposalSummaryOutput(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    process = serializers.CharField(source="process.slug")
    theme = serializers.CharField(source="theme.name", allow_null=True, default=None)
    summary = serializers.CharField()
    author = AuthorOutput(source="*")
    version = serializers.IntegerField(source="current_version.number", allow_null=True)
    url = serializers.SerializerMethodField()

    def get_url(self, proposal) -> str:
        return self.context["request"].build_absolute_uri(proposal.get_absolute_url())


class ProposalDetailOutput(ProposalSummaryOutput):
    body = serializers.CharField()
    budget_area = serializers.CharField()
    districts = serializers.SerializerMethodField()
    aspects = serializers.ListField(child=serializers.CharField())
    target_groups = serializers.CharField()
    expected_reach = serializers.IntegerField(allow_null=True)
    risks = serializers.CharField()
    effects = EffectSerializer(many=True, source="effects.all")
    requirements = RequirementSerializer(many=True, source="requirements.all")
    assessment = serializers.SerializerMethodField()

    def get_districts(self, proposal) -> list[str]:
        return sorted(d.name for d in proposal.districts.all())

    @extend_schema(responses=AssessmentOutput)
    def get_assessment(self, proposal) -> dict | None:
        """Support, impact, people and group: for staff only; ``null`` for everyone else."""
        user = self.context["request"].user
        if not user.has_perm("proposals.view_proposal_overview", proposal.process):
            return None
        return AssessmentOutput(proposal).data


class VersionOutput(serializers.Serializer):
    number = serializers.IntegerField()
    note = serializers.CharField()
    author = serializers.CharField(allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    content = serializers.JSONField(source="snapshot")


class ProposalInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ProposalKind.values, default=ProposalKind.MEASURE)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=1000)
    body = serializers.CharField(required=False, allow_blank=True, default="")
    theme = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Name of a theme of the process"
    )
    budget_area = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    districts = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text="District names"
    )
    aspects = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    target_groups = serializers.CharField(required=False, allow_blank=True, default="")
    expected_reach = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )
    risks = serializers.CharField(required=False, allow_blank=True, default="")
    effects = EffectSerializer(many=True, required=False)
    requirements = RequirementSerializer(many=True, required=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ProposalCreateInput(ProposalInput):
    author_kind = serializers.ChoiceField(choices=AuthorKind.values, required=False)
    committee = serializers.SlugField(
        required=False, help_text="Slug of the authoring committee (for author_kind committee)"
    )
    organisation = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="For author_kind partner"
    )


def _errors(exc: DjangoValidationError) -> Response:
    body = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    return Response({"errors": body}, status=status.HTTP_400_BAD_REQUEST)


def _resolve(process, data: dict) -> tuple[dict, list]:
    """Theme and districts by name, as the process knows them; unknown names are 400."""
    content = {
        k: v for k, v in data.items() if k in services.CONTENT_FIELDS and k not in ("theme",)
    }
    problems = {}
    theme_name = (data.get("theme") or "").strip()
    content["theme"] = None
    if theme_name:
        content["theme"] = process.themes.filter(name__iexact=theme_name).first()
        if content["theme"] is None:
            problems["theme"] = [f"Unknown theme of this process: {theme_name!r}."]
    names = [n.strip() for n in data.get("districts", [])]
    districts = list(process.municipality.districts.filter(name__in=names))
    unknown = sorted(set(names) - {d.name for d in districts})
    if unknown:
        problems["districts"] = [f"Unknown districts: {', '.join(unknown)}."]
    if problems:
        raise exceptions.ValidationError(problems)
    return content, districts


def _rows(serializer_rows) -> list[dict] | None:
    if serializer_rows is None:
        return None
    return [dict(row) for row in serializer_rows]


class ProposalListApi(APIView):
    """The proposals of a process the user may read; POST starts a new one (status draft)."""

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=ProposalStatus.values, required=False)
        kind = serializers.ChoiceField(choices=ProposalKind.values, required=False)

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=ProposalStatus.values),
            OpenApiParameter("kind", str, enum=ProposalKind.values),
        ],
        responses=ProposalSummaryOutput(many=True),
    )
    def get(self, request, slug: str):
        process = process_selectors.process_get_for_user(slug=slug, user=request.user)
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        proposals = selectors.proposal_list_for_user(
            user=request.user, process=process, **filters.validated_data
        ).select_related("current_version")
        return Response(
            ProposalSummaryOutput(proposals, many=True, context={"request": request}).data
        )

    @extend_schema(request=ProposalCreateInput, responses={201: ProposalDetailOutput})
    def post(self, request, slug: str):
        process = process_selectors.process_get_for_user(slug=slug, user=request.user)
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        serializer = ProposalCreateInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        committee = None
        if data.get("committee"):
            committee = process.committees.filter(slug=data["committee"]).first()
            if committee is None:
                raise exceptions.ValidationError(
                    {"committee": ["Unknown committee of this process."]}
                )
        content, districts = _resolve(process, data)
        try:
            proposal = services.proposal_create(
                actor=request.user,
                process=process,
                data=content,
                effects=_rows(data.get("effects")) or [],
                requirements=_rows(data.get("requirements")) or [],
                districts=districts,
                author_kind=data.get("author_kind"),
                committee=committee,
                organisation=data.get("organisation", ""),
                note=data.get("note", ""),
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied() from exc
        except DjangoValidationError as exc:
            return _errors(exc)
        proposal = selectors.proposal_get_for_user(slug=proposal.slug, user=request.user)
        body = ProposalDetailOutput(proposal, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class ProposalDetailApi(APIView):
    """One proposal with its yearly effects and requirements; PUT writes a new version."""

    @extend_schema(responses=ProposalDetailOutput)
    def get(self, request, slug: str):
        proposal = selectors.proposal_get_for_user(slug=slug, user=request.user)
        return Response(ProposalDetailOutput(proposal, context={"request": request}).data)

    @extend_schema(
        request=ProposalInput,
        responses=ProposalDetailOutput,
        description=(
            "Replaces the content. Effects and requirements are replaced when given and kept "
            "when left out. A new version is written when anything changed."
        ),
    )
    def put(self, request, slug: str):
        proposal = selectors.proposal_get_for_user(slug=slug, user=request.user)
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        if not request.user.has_perm("proposals.change_proposal", proposal):
            raise exceptions.PermissionDenied()
        serializer = ProposalInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        content, districts = _resolve(proposal.process, data)
        try:
            services.proposal_update(
                actor=request.user,
                proposal=proposal,
                data=content,
                effects=_rows(data.get("effects")),
                requirements=_rows(data.get("requirements")),
                districts=districts,
                note=data.get("note", ""),
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied() from exc
        except DjangoValidationError as exc:
            return _errors(exc)
        proposal = selectors.proposal_get_for_user(slug=slug, user=request.user)
        return Response(ProposalDetailOutput(proposal, context={"request": request}).data)


class ProposalVersionsApi(APIView):
    """Every version of a proposal with its full content, newest first."""

    @extend_schema(responses=VersionOutput(many=True))
    def get(self, request, slug: str):
        proposal = selectors.proposal_get_for_user(slug=slug, user=request.user)
        return Response(VersionOutput(selectors.versions(proposal), many=True).data)


# --- the budget optimiser and budget packages ---------------------------------------------------
# The same helpers as the budget page (``budget.budget_page``: its form, its candidates, its
# call of the optimiser) and the package pages (``packages``), and the same rules. The result
# has the shape of ``samenspraak budget close --json``.


class YearAmountsOutput(serializers.Serializer):
    year = serializers.IntegerField()
    structural = serializers.DecimalField(**MONEY)
    incidental = serializers.DecimalField(**MONEY)


class BalanceOutput(serializers.Serializer):
    """Effect minus gap in one year; 0 or more means that part of the gap is closed."""

    year = serializers.IntegerField()
    structural = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)


class ShortfallOutput(BalanceOutput):
    short = serializers.DecimalField(
        **MONEY, help_text="Extra structural savings this year still needs"
    )


class BudgetCandidateOutput(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    status = serializers.CharField()
    effects = YearAmountsOutput(many=True)


class BudgetAlternativeOutput(serializers.Serializer):
    selected = serializers.ListField(child=serializers.SlugField())
    objective = serializers.FloatField()
    balance_per_year = BalanceOutput(many=True)


class BudgetResultOutput(serializers.Serializer):
    feasible = serializers.BooleanField()
    objective_name = serializers.ChoiceField(choices=[c for c, _label in budget.OBJECTIVE_CHOICES])
    selected = serializers.ListField(
        child=serializers.SlugField(), help_text="Slugs of the proposals in the best package"
    )
    objective = serializers.FloatField(allow_null=True, help_text="The best package's harm")
    balance_per_year = BalanceOutput(many=True)
    alternatives = BudgetAlternativeOutput(many=True)
    proven_optimal = serializers.BooleanField()
    mip_gap = serializers.FloatField()
    shortfall_per_year = ShortfallOutput(
        many=True, required=False, help_text="Only when no package closes the gap"
    )


class BudgetOutput(serializers.Serializer):
    process = serializers.SlugField()
    whole = serializers.BooleanField(
        help_text="True when every candidate is weighed; false when only those put to residents"
    )
    gap = YearAmountsOutput(
        many=True, allow_null=True, help_text="The savings target per year; null without one"
    )
    candidates = BudgetCandidateOutput(many=True)
    result = BudgetResultOutput(
        allow_null=True, help_text="null when there is no savings target or no candidate"
    )


def _balances(rows) -> list[dict]:
    return [
        {"year": r.year, "structural": r.balance_structural, "total": r.balance_total} for r in rows
    ]


def _result(outcome: budget.Outcome, choices: budget.Choices) -> dict:
    """The page's ``Outcome`` in the shape of ``samenspraak budget close --json``."""
    best, *alternatives = outcome.packages or [None]
    result = {
        "feasible": outcome.feasible,
        "objective_name": choices.objective.value,
        "selected": sorted(row.slug for row in best.proposals) if best else [],
        "objective": best.harm_value if best else None,
        "balance_per_year": _balances(best.rows) if best else [],
        "alternatives": [
            {
                "selected": sorted(row.slug for row in package.proposals),
                "objective": package.harm_value,
                "balance_per_year": _balances(package.rows),
            }
            for package in alternatives
        ],
        "proven_optimal": outcome.proven,
        "mip_gap": outcome.mip_gap,
    }
    if not outcome.feasible:
        result["shortfall_per_year"] = [
            {**balance, "short": row.short}
            for balance, row in zip(
                _balances(outcome.shortfall or ()), outcome.shortfall or (), strict=True
            )
        ]
    return result


class BudgetApi(APIView):
    """The gap, the candidates and the optimiser's packages, as on the budget page."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "objective",
                str,
                enum=[c for c, _label in budget.OBJECTIVE_CHOICES],
                description="What the package spares most (default support)",
            ),
            OpenApiParameter(
                "alternatives",
                int,
                description=f"Next-best packages besides the best, 0 to {budget.MAX_ALTERNATIVES} "
                f"(default {budget.DEFAULT_ALTERNATIVES})",
            ),
            OpenApiParameter(
                "include", str, many=True, description="Slug of a proposal always in the package"
            ),
            OpenApiParameter(
                "exclude", str, many=True, description="Slug of a proposal never in the package"
            ),
        ],
        responses=BudgetOutput,
    )
    def get(self, request, slug: str):
        process = process_selectors.process_get_for_user(slug=slug, user=request.user)
        if not request.user.has_perm("proposals.view_budget", process):
            if not request.user.is_authenticated:
                raise exceptions.NotAuthenticated()
            raise exceptions.PermissionDenied()
        whole = request.user.has_perm("proposals.view_whole_budget", process)
        page = budget.budget_page(
            process=process, user=request.user, query=request.query_params, whole=whole
        )
        if page.choices is None:
            raise exceptions.ValidationError(
                {name: [str(e) for e in errors] for name, errors in page.form.errors.items()}
            )
        outcome = page.outcome
        if outcome is not None and outcome.error:
            raise exceptions.ValidationError({"objective": [outcome.error]})
        body = {
            "process": process.slug,
            "whole": whole,
            "gap": None
            if page.gaps is None
            else [
                {"year": g.year, "structural": g.structural, "incidental": g.incidental}
                for g in page.gaps
            ],
            "candidates": [
                {
                    "slug": row.slug,
                    "title": row.title,
                    "status": row.status,
                    "effects": [
                        {"year": year, "structural": s, "incidental": i}
                        for year, (s, i) in zip(page.years, row.effects, strict=True)
                    ],
                }
                for row in page.candidates
            ],
            "result": None if outcome is None else _result(outcome, page.choices),
        }
        return Response(BudgetOutput(body).data)


class PackageMemberOutput(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    effects = YearAmountsOutput(many=True)


class CheckItemOutput(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField()
    title = serializers.CharField()
    reason = serializers.CharField()
    notes = serializers.ListField(child=serializers.CharField())


class PackageCheckOutput(serializers.Serializer):
    passed = serializers.BooleanField()
    run_at = serializers.DateTimeField()
    current = serializers.BooleanField(
        help_text="Whether the check saw the package as it is now (same proposals and versions)"
    )
    items = CheckItemOutput(many=True)


class PackageBalanceOutput(serializers.Serializer):
    year = serializers.IntegerField()
    gap_structural = serializers.DecimalField(**MONEY)
    gap_total = serializers.DecimalField(**MONEY)
    saved_structural = serializers.DecimalField(**MONEY)
    saved_total = serializers.DecimalField(**MONEY)
    balance_structural = serializers.DecimalField(**MONEY)
    balance_total = serializers.DecimalField(**MONEY)
    closed = serializers.BooleanField()


class PackageOutput(serializers.Serializer):
    id = serializers.IntegerField()
    process = serializers.SlugField()
    title = serializers.CharField()
    status = serializers.CharField()
    origin = serializers.CharField(help_text="optimiser: saved from the budget page; staff")
    objective = serializers.CharField(help_text="The optimiser's aim; empty when staff made it")
    harm = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    members = PackageMemberOutput(many=True)
    totals = YearAmountsOutput(many=True, help_text="The members' summed effects per year")
    balance_per_year = PackageBalanceOutput(
        many=True, help_text="Against the savings target per year; empty without one"
    )
    closes = serializers.BooleanField(allow_null=True, help_text="null without a savings target")
    latest_check = PackageCheckOutput(allow_null=True)
    url = serializers.CharField()


def _package_body(request, package: BudgetPackage) -> dict:
    """What the package page shows, from the same helpers (``packages``, the page's balance)."""
    members = packages.package_members(package)
    balance = budget.balance_against_gap(package.process, packages.summed_effects(members))
    check = packages.latest_check(package)
    return {
        "id": package.pk,
        "process": package.process.slug,
        "title": package.title,
        "status": package.status,
        "origin": package.origin,
        "objective": package.objective,
        "harm": package.harm,
        "note": package.note,
        "created_at": package.created_at,
        "members": [
            {
                "slug": p.slug,
                "title": p.title,
                "effects": [
                    {"year": e.year, "structural": e.structural, "incidental": e.incidental}
                    for e in p.effects.all()
                ],
            }
            for p in members
        ],
        "totals": [
            {"year": year, "structural": s, "incidental": i}
            for year, (s, i) in balance["totals"].items()
        ],
        "balance_per_year": [{**asdict(r), "closed": r.closed} for r in balance["rows"]],
        "closes": balance.get("closes"),
        "latest_check": None
        if check is None
        else {
            "passed": check.passed,
            "run_at": check.created_at,
            "current": packages.check_is_current(package, check),
            "items": packages.check_items(check),
        },
        "url": request.build_absolute_uri(package.get_absolute_url()),
    }


class PackageListApi(APIView):
    """The budget packages of a process the user may read, newest first."""

    @extend_schema(responses=PackageOutput(many=True))
    def get(self, request, slug: str):
        process = process_selectors.process_get_for_user(slug=slug, user=request.user)
        found = packages.package_list_for_user(user=request.user, process=process)
        return Response(PackageOutput([_package_body(request, p) for p in found], many=True).data)


class PackageDetailApi(APIView):
    """One budget package: members, status, how it was made, the latest check, the balance."""

    @extend_schema(responses=PackageOutput)
    def get(self, request, pk: int):
        package = (
            BudgetPackage.objects.select_related("process", "process__framework")
            .filter(pk=pk)
            .first()
        )
        if package is None or not request.user.has_perm("proposals.view_package", package):
            raise exceptions.NotFound()
        return Response(PackageOutput(_package_body(request, package)).data)
