"""Recovery endpoints (issue 16): the customer's follow-up answer (public) and the figures."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.parsers import BoundedJSONParser
from pulih.lib.bounds import DATE_HELP, DATE_SCHEMA, PERIOD_REVERSED
from pulih.lib.ratelimit import ScopedRateThrottle
from recovery.services import COMMENT_MAX_LENGTH, answer_followup
from recovery.stats import recovery_figures
from reports.access import RECOVERY_FIGURE_READERS
from units.access import has_role

from .conventions import Text, WholeNumber, query_text, staff_unit
from .surveys import FieldErrors, _date

Detail = inline_serializer("RecoveryDetail", {"detail": serializers.CharField()})


def reads_recovery_figures(user, unit) -> bool:
    return has_role(user, unit, *RECOVERY_FIGURE_READERS)


class FollowUpIn(serializers.Serializer):
    score = WholeNumber(min_value=1, max_value=4)
    comment = Text(max_length=COMMENT_MAX_LENGTH, required=False, allow_blank=True, default="")


class FollowUpView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "survey"
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        request=FollowUpIn,
        responses={201: None, 400: FieldErrors, 410: Detail, 415: Detail, 429: Detail},
        description="The compensated customer's one answer: did the handling restore their "
        "satisfaction (1–4). Answered, expired, not yet open and unknown links all answer 410.",
    )
    def post(self, request, token: str):
        data = FollowUpIn(data=request.data)
        data.is_valid(raise_exception=True)
        answer_followup(token, **data.validated_data)
        return Response(status=status.HTTP_201_CREATED)


class RowOut(serializers.Serializer):
    label = serializers.CharField()
    compensated = serializers.IntegerField()
    answered = serializers.IntegerField()
    recovered = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True)


class RecoveryOut(serializers.Serializer):
    unit = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    compensated = serializers.IntegerField()
    answered = serializers.IntegerField()
    recovered = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True)
    median_days = serializers.FloatField(allow_null=True)
    by_kind = RowOut(many=True)
    by_service = RowOut(many=True)


class RecoveryView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("unit", str, required=True, description="unit code"),
            OpenApiParameter("start", DATE_SCHEMA, required=True),
            OpenApiParameter(
                "end", DATE_SCHEMA, required=True, description="not before start; " + DATE_HELP
            ),
        ],
        responses={200: RecoveryOut, 400: FieldErrors, 401: Detail, 403: Detail, 404: Detail},
    )
    def get(self, request):
        q = {name: query_text(request, name) for name in ("unit", "start", "end")}
        unit = staff_unit(request, q["unit"], allowed=reads_recovery_figures, required=True)
        start, end = _date(q["start"], "start"), _date(q["end"], "end")
        if start > end:
            raise ValidationError({"end": [PERIOD_REVERSED]})
        f = recovery_figures(unit, start, end)
        return Response(
            RecoveryOut(
                {
                    "unit": unit.code,
                    "start": start,
                    "end": end,
                    "compensated": f.compensated,
                    "answered": f.answered,
                    "recovered": f.recovered,
                    "percent": f.percent,
                    "median_days": f.median_days,
                    "by_kind": [vars_of(r) for r in f.by_kind],
                    "by_service": [vars_of(r) for r in f.by_service],
                }
            ).data
        )


def vars_of(row) -> dict:
    return {
        "label": row.label,
        "compensated": row.compensated,
        "answered": row.answered,
        "recovered": row.recovered,
        "percent": row.percent,
    }


urlpatterns = [
    path("followups/<str:token>/", FollowUpView.as_view(), name="api-followup"),
    path("recovery/", RecoveryView.as_view(), name="api-recovery"),
]
