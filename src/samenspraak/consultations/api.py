"""API for consultations (read-only): the consultations a user may see and their results.

Reads follow the page rules (``consultations.view_consultation``: drafts only for staff;
``consultations.view_results``: results once closed, managers at any time). Results are the
stored counts, exactly as the results page and the open data give them. Amounts are strings
with two decimals, never floats.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from samenspraak.consultations import opendata, results
from samenspraak.consultations.models import Consultation, ConsultationKind, ConsultationStatus

MONEY = {"max_digits": 14, "decimal_places": 2}


class ItemOutput(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    cost = serializers.DecimalField(**MONEY, allow_null=True)
    proposal = serializers.SlugField(source="proposal.slug", allow_null=True, default=None)
    district = serializers.CharField(source="district.name", allow_null=True, default=None)
    category = serializers.CharField()
    amounts = serializers.SerializerMethodField()

    def get_amounts(self, item) -> dict[str, str]:
        return {str(a.year): f"{a.amount:.2f}" for a in item.year_amounts.all()}


class ConsultationSummaryOutput(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    process = serializers.CharField(source="process.slug")
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    verification = serializers.CharField()
    results_url = serializers.SerializerMethodField()

    def get_results_url(self, consultation) -> str | None:
        from django.urls import reverse

        request = self.context["request"]
        if not request.user.has_perm("consultations.view_results", consultation):
            return None
        return request.build_absolute_uri(
            reverse("consultations:results", kwargs={"slug": consultation.slug})
        )


class ConsultationDetailOutput(ConsultationSummaryOutput):
    description = serializers.CharField()
    districts = serializers.SerializerMethodField()
    ballot_type = serializers.CharField()
    budget = serializers.DecimalField(**MONEY, allow_null=True)
    min_choices = serializers.IntegerField()
    max_choices = serializers.IntegerField(allow_null=True)
    points = serializers.IntegerField(allow_null=True)
    rule = serializers.CharField()
    gaps = serializers.SerializerMethodField()
    items = ItemOutput(many=True, source="items.all")

    def get_districts(self, consultation) -> list[str]:
        return [d.name for d in consultation.districts.all()]

    def get_gaps(self, consultation) -> dict[str, str]:
        return {str(g.year): f"{g.amount:.2f}" for g in consultation.gaps.all()}


def _visible(user):
    queryset = Consultation.objects.select_related("process").order_by("-opens_at", "title")
    if not user.has_perm("consultations.view_consultation", None):
        # Anyone sees published and closed ones; drafts are checked one by one below.
        public = queryset.exclude(status=ConsultationStatus.DRAFT)
        drafts = [
            c.pk
            for c in queryset.filter(status=ConsultationStatus.DRAFT)
            if user.has_perm("consultations.view_consultation", c)
        ]
        return public | queryset.filter(pk__in=drafts)
    return queryset


def _get(request, slug: str) -> Consultation:
    consultation = (
        Consultation.objects.select_related("process", "process__municipality")
        .filter(slug=slug)
        .first()
    )
    if consultation is None or not request.user.has_perm(
        "consultations.view_consultation", consultation
    ):
        raise Http404
    return consultation


class ConsultationListApi(APIView):
    """Consultations a user may see (drafts only for staff), filterable by process, kind
    and status."""

    class FilterSerializer(serializers.Serializer):
        process = serializers.SlugField(required=False)
        kind = serializers.ChoiceField(choices=ConsultationKind.values, required=False)
        status = serializers.ChoiceField(choices=ConsultationStatus.values, required=False)

    @extend_schema(
        parameters=[
            OpenApiParameter("process", str, description="Process slug"),
            OpenApiParameter("kind", str, enum=ConsultationKind.values),
            OpenApiParameter("status", str, enum=ConsultationStatus.values),
        ],
        responses=ConsultationSummaryOutput(many=True),
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = _visible(request.user)
        if "process" in filters.validated_data:
            queryset = queryset.filter(process__slug=filters.validated_data["process"])
        for name in ("kind", "status"):
            if name in filters.validated_data:
                queryset = queryset.filter(**{name: filters.validated_data[name]})
        data = ConsultationSummaryOutput(queryset, many=True, context={"request": request}).data
        return Response(data)


class ConsultationDetailApi(APIView):
    """One consultation with its items (projects, proposals or measures) and gaps."""

    @extend_schema(responses=ConsultationDetailOutput)
    def get(self, request, slug: str):
        consultation = _get(request, slug)
        consultation = (
            Consultation.objects.filter(pk=consultation.pk)
            .select_related("process")
            .prefetch_related(
                "districts", "gaps", "items__year_amounts", "items__proposal", "items__district"
            )
            .get()
        )
        return Response(ConsultationDetailOutput(consultation, context={"request": request}).data)


class ConsultationResultsApi(APIView):
    """Everything counted, as the JSON download of the results page: the counts per item,
    every rule's outcome with its fairness measures, turnout and the voters' answers."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, slug: str):
        consultation = _get(request, slug)
        if not request.user.has_perm("consultations.view_results", consultation):
            raise exceptions.PermissionDenied(
                "The results are published when the consultation has closed."
            )
        if results.counts_for(consultation) is None:
            raise exceptions.NotFound("This consultation has not been counted yet.")
        return Response(opendata.results_json(consultation))
