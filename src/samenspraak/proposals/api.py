"""API for proposals: one view per operation, the same selectors, services and rules as the pages.

Reads follow the page rules (drafts only for their authors, the committee's facilitator and
staff; the council from "submitted" on; everyone from "in consultation" on). Writes call
``services.proposal_create`` and ``services.proposal_update``, so they validate, version and
audit exactly like the forms. Amounts are strings with two decimals, never floats.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from samenspraak.processes import selectors as process_selectors
from samenspraak.proposals import selectors, services
from samenspraak.proposals.models import (
    AuthorKind,
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
