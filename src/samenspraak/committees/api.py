"""API for committees: read-only, one view per operation, the same selectors and rules.

Committees of public processes are public; drafts only for staff. The member list is
personal data: it is only in the answer for staff.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from samenspraak.committees import selectors


class QuotaOutput(serializers.Serializer):
    feature = serializers.CharField()
    value = serializers.CharField()
    min = serializers.IntegerField(source="minimum")
    max = serializers.IntegerField(source="maximum")


class CommitteeSummaryOutput(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.CharField()
    process = serializers.CharField(source="process.slug")
    theme = serializers.CharField(source="theme.name", allow_null=True, default=None)
    size = serializers.IntegerField()
    member_count = serializers.IntegerField()
    status = serializers.CharField()
    deliver_by = serializers.DateField(allow_null=True)
    applications_open = serializers.DateField(allow_null=True)
    applications_close = serializers.DateField(allow_null=True)
    url = serializers.SerializerMethodField()

    def get_url(self, committee) -> str:
        return self.context["request"].build_absolute_uri(committee.get_absolute_url())


class DrawOutput(serializers.Serializer):
    algorithm = serializers.CharField()
    seed = serializers.IntegerField()
    panel_size = serializers.IntegerField()
    pool_size = serializers.IntegerField()
    min_probability = serializers.FloatField()
    created_at = serializers.DateTimeField()


class DrawInListOutput(DrawOutput):
    """One draw of ``draws``: ``number`` is its position (1 is the first draw, 2, 3, ... are
    replacement draws), ``replaces`` the number of the draw it replaces (null for the first)."""

    number = serializers.SerializerMethodField()
    replaces = serializers.SerializerMethodField()

    def get_number(self, draw) -> int:
        return self.context["positions"][draw.pk]

    def get_replaces(self, draw) -> int | None:
        return self.context["positions"].get(draw.replaces_id)


class MemberOutput(serializers.Serializer):
    name = serializers.CharField(source="display_name")
    role = serializers.CharField()
    source = serializers.CharField()


class CommitteeDetailOutput(CommitteeSummaryOutput):
    mandate = serializers.CharField()
    quotas = QuotaOutput(many=True, source="quotas.all")
    seed = serializers.IntegerField(source="draw_seed", allow_null=True)
    draw = serializers.SerializerMethodField()
    draws = serializers.SerializerMethodField()
    facilitators = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()

    def get_draw(self, committee) -> dict | None:
        """The latest draw (kept for clients of the first version; see ``draws``)."""
        draw = committee.draws.first()
        return DrawOutput(draw).data if draw else None

    @extend_schema_field(DrawInListOutput(many=True))
    def get_draws(self, committee) -> list[dict]:
        """Every draw in order: the first, then each replacement draw (aanvullende loting)."""
        draws = list(committee.draws.order_by("created_at", "id"))
        positions = {draw.pk: number for number, draw in enumerate(draws, start=1)}
        return DrawInListOutput(draws, many=True, context={"positions": positions}).data

    def get_facilitators(self, committee) -> list[str]:
        return [m.display_name for m in selectors.facilitators(committee)]

    def get_members(self, committee) -> list[dict] | None:
        """Only for staff; ``null`` for everyone else."""
        if not self.context["request"].user.has_perm("committees.view_members", committee):
            return None
        return MemberOutput(selectors.members(committee), many=True).data


class CommitteeListApi(APIView):
    """Committees of public processes, optionally of one process."""

    class FilterSerializer(serializers.Serializer):
        process = serializers.SlugField(required=False, help_text="Slug of the process")

    @extend_schema(
        parameters=[OpenApiParameter("process", str, description="Slug of the process")],
        responses=CommitteeSummaryOutput(many=True),
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        committees = selectors.committee_list_public(
            process_slug=filters.validated_data.get("process")
        )
        return Response(
            CommitteeSummaryOutput(committees, many=True, context={"request": request}).data
        )


class CommitteeDetailApi(APIView):
    @extend_schema(responses=CommitteeDetailOutput)
    def get(self, request, slug: str):
        committee = selectors.committee_get_for_user(slug=slug, user=request.user)
        committee.member_count = selectors.members(committee).count()
        return Response(CommitteeDetailOutput(committee, context={"request": request}).data)
