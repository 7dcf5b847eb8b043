"""API for processes: one view per operation, nested input/output serializers, same services.

Reads follow the same permission policy as the pages (drafts only for staff); the write
calls ``services.framework_update``, so the API validates exactly like the form does.
Amounts are strings with two decimals ("1250000.00"), never floats.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from samenspraak.processes import selectors, services
from samenspraak.processes.models import BandwidthKind, Process, ProcessStatus

MONEY = {"max_digits": 14, "decimal_places": 2, "allow_null": True, "required": False}


class PhaseOutput(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    is_current = serializers.SerializerMethodField()

    def get_is_current(self, phase) -> bool:
        return phase.pk == self.context["current_phase_id"]


class BandwidthYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    minimum = serializers.DecimalField(**MONEY)
    maximum = serializers.DecimalField(**MONEY)
    savings_structural = serializers.DecimalField(**MONEY)
    savings_incidental = serializers.DecimalField(**MONEY)


class AspectSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class FrameworkOutput(serializers.Serializer):
    bandwidth_kind = serializers.CharField()
    bandwidth_subject = serializers.CharField()
    budget_areas = serializers.CharField()
    conditions = serializers.ListField(child=serializers.CharField(), source="condition_lines")
    decision_deadline = serializers.DateField(allow_null=True)
    council_decision_reference = serializers.CharField()
    years = BandwidthYearSerializer(many=True, source="years.all")
    aspects = AspectSerializer(many=True, source="aspects.all")


class ProcessSummaryOutput(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField()
    status = serializers.CharField()
    municipality = serializers.CharField(source="municipality.name")
    municipality_code = serializers.CharField(source="municipality.cbs_code")
    current_phase = serializers.CharField(source="current_phase.title", allow_null=True)
    url = serializers.SerializerMethodField()

    def get_url(self, process) -> str:
        return self.context["request"].build_absolute_uri(process.get_absolute_url())


class ProcessDetailOutput(ProcessSummaryOutput):
    challenge = serializers.CharField()
    districts = serializers.SerializerMethodField()
    themes = serializers.SerializerMethodField()
    phases = serializers.SerializerMethodField()
    framework = FrameworkOutput()

    def get_districts(self, process) -> list[str]:
        return [d.name for d in process.districts.all()]

    def get_themes(self, process) -> list[dict[str, str]]:
        return [
            {"name": t.name, "description": t.description, "owning_department": t.owning_department}
            for t in process.themes.all()
        ]

    def get_phases(self, process) -> list[dict]:
        context = {**self.context, "current_phase_id": process.current_phase_id}
        return PhaseOutput(process.phases.all(), many=True, context=context).data


class ProcessListApi(APIView):
    """Public processes (drafts are never listed), filterable by municipality and status."""

    class FilterSerializer(serializers.Serializer):
        municipality = serializers.CharField(required=False, help_text="CBS code, e.g. GM0355")
        status = serializers.ChoiceField(
            choices=[c for c in ProcessStatus.values if c != ProcessStatus.DRAFT],
            required=False,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("municipality", str, description="CBS code, e.g. GM0355"),
            OpenApiParameter("status", str, enum=["active", "adopted", "closed"]),
        ],
        responses=ProcessSummaryOutput(many=True),
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        processes = selectors.process_list_public(**filters.validated_data)
        data = ProcessSummaryOutput(processes, many=True, context={"request": request}).data
        return Response(data)


class ProcessDetailApi(APIView):
    @extend_schema(responses=ProcessDetailOutput)
    def get(self, request, slug: str):
        process = selectors.process_get_for_user(slug=slug, user=request.user)
        return Response(ProcessDetailOutput(process, context={"request": request}).data)


class FrameworkUpdateApi(APIView):
    """Replace the council's frameworks of a process (owner or administrator only)."""

    class InputSerializer(serializers.Serializer):
        bandwidth_kind = serializers.ChoiceField(choices=BandwidthKind.values)
        bandwidth_subject = serializers.CharField(required=False, allow_blank=True, default="")
        budget_areas = serializers.CharField(required=False, allow_blank=True, default="")
        conditions = serializers.CharField(required=False, allow_blank=True, default="")
        decision_deadline = serializers.DateField(required=False, allow_null=True, default=None)
        council_decision_reference = serializers.CharField(
            required=False, allow_blank=True, default=""
        )
        years = BandwidthYearSerializer(many=True)
        aspects = AspectSerializer(many=True, required=False, default=list)

    @extend_schema(request=InputSerializer, responses=FrameworkOutput)
    def put(self, request, slug: str):
        process = get_object_or_404(Process, slug=slug)
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        years, aspects = data.pop("years"), data.pop("aspects")
        try:
            warnings = services.framework_update(
                actor=request.user, process=process, data=data, years=years, aspects=aspects
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied() from exc
        except DjangoValidationError as exc:
            return Response({"errors": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
        process.framework.refresh_from_db()
        body = dict(FrameworkOutput(process.framework).data)
        body["warnings"] = [w.message_en for w in warnings]
        return Response(body)
