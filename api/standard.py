"""GET /api/v1/standard/?unit=CODE — the unit's published standard as data (public)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from pulih.lib.ratelimit import ScopedRateThrottle
from units.models import Unit
from units.published import published_standard

from .schema import errors


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "service_unit_name",
            "parent_organisation",
            "address",
            "city",
            "phone",
            "email",
            "website",
            "head_title",
            "head_name",
            "time_zone",
            "standard_decree_number",
            "standard_decree_date",
            "time_limit_text",
            "cost_text",
            "compensation_intro",
            "internal_supervision",
            "staff_count_text",
            "service_guarantee",
            "security_guarantee",
            "performance_evaluation",
            "flag_elements",
            "flag_threshold",
            "ikm_weight",
        ]


class ServiceTypeOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()


class ViolationOut(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    severity = serializers.CharField()


class SanctionOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    legal_reference = serializers.CharField()


class CompensationOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()


class ChannelOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    contact = serializers.CharField()


class DeadlineRuleOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    start_event = serializers.CharField()
    end_event = serializers.CharField()
    length = serializers.IntegerField()
    day_kind = serializers.CharField()


class TextEntryOut(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()


class NamedEntryOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class StandardSerializer(serializers.Serializer):
    unit = UnitSerializer()
    service_types = ServiceTypeOut(many=True)
    violations = ViolationOut(many=True)
    sanctions = SanctionOut(many=True)
    compensations = CompensationOut(many=True)
    channels = ChannelOut(many=True)
    deadline_rules = DeadlineRuleOut(many=True)
    legal_basis = TextEntryOut(many=True)
    facilities = NamedEntryOut(many=True)
    competencies = TextEntryOut(many=True)


class StandardView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public"

    @extend_schema(
        parameters=[OpenApiParameter("unit", str, required=True, description="unit code")],
        responses={200: StandardSerializer, **errors(400, 404, 429)},
    )
    def get(self, request):
        code = request.query_params.get("unit", "").strip()
        if not code:
            raise ValidationError({"unit": ["This query parameter is required."]})
        # No unit's code holds a NUL, and PostgreSQL refuses to compare text with one.
        unit = None if "\x00" in code else Unit.objects.filter(code=code).first()
        if unit is None:
            raise NotFound("Unknown unit.")
        return Response(StandardSerializer({"unit": unit, **published_standard(unit)}).data)
