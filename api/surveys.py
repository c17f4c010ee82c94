"""Satisfaction endpoints of DESIGN.md §6: service records, the public survey, IKM and the
daily recap. Thin: parse, authorise, call surveys.services / surveys.ikm."""

from __future__ import annotations

import datetime
import re

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.parsers import BoundedJSONParser
from pulih.lib.bounds import (
    DATE_HELP,
    DATE_SCHEMA,
    EARLIEST_DATE,
    LATEST_DATE,
    PERIOD_REVERSED,
)
from pulih.lib.errors import StateConflict
from pulih.lib.ratelimit import ScopedRateThrottle
from surveys import daily as daily_q
from surveys.access import RECORDERS, reads_officer_figures, reads_results
from surveys.ikm import ANSWER_LABELS, ELEMENT_NAMES
from surveys.links import survey_url
from surveys.models import (
    COMMENT_MAX_LENGTH,
    DEFAULT_CHANNEL,
    PROFILE_FIELDS,
    CustomerKind,
    ResponseSource,
    ServiceRecord,
)
from surveys.sample import ikm_report_full, profile_filter
from surveys.services import (
    SurveyClosed,
    officer_codes,
    record_service,
    submit_survey,
    unit_officers,
)
from units.access import has_role
from units.models import ServiceType

from .conventions import ApiDateTimeField, Text, query_text, staff_unit

Detail = inline_serializer("SurveysDetail", {"detail": serializers.CharField()})
FieldErrors = inline_serializer(
    "SurveysFieldErrors",
    {"detail": serializers.CharField(required=False)},
)


def _recorders(user, unit) -> bool:
    return has_role(user, unit, *RECORDERS)


def _date(value: str | None, name: str) -> datetime.date:
    if not value:
        raise ValidationError({name: ["This query parameter is required (YYYY-MM-DD)."]})
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: ["Use the format YYYY-MM-DD."]}) from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError({name: [DATE_HELP]})
    return day


# --- service records -------------------------------------------------------------------------


class ServiceRecordIn(serializers.Serializer):
    unit = Text(max_length=50)
    service_type = Text(max_length=50)
    officer = Text(max_length=150)
    customer_name = Text(max_length=200, required=False, allow_blank=True)
    customer_contact = Text(max_length=200, required=False, allow_blank=True)
    customer_kind = serializers.ChoiceField(
        choices=CustomerKind.choices, required=False, default=CustomerKind.EXTERNAL
    )
    channel = Text(
        max_length=50,
        required=False,
        default=DEFAULT_CHANNEL,
        help_text="a channel code of the unit, as /api/v1/standard/ publishes them",
    )
    served_at = ApiDateTimeField(required=False)


class ServiceRecordOut(serializers.Serializer):
    id = serializers.IntegerField()
    survey_token = serializers.CharField()
    survey_url = serializers.URLField()


class ServiceRecordView(APIView):
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        request=ServiceRecordIn,
        responses={
            201: ServiceRecordOut,
            400: FieldErrors,
            401: Detail,
            403: Detail,
            404: Detail,
            415: Detail,
        },
    )
    def post(self, request):
        data = ServiceRecordIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        unit = staff_unit(request, d["unit"], allowed=_recorders)
        service_type = ServiceType.objects.filter(unit=unit, code=d["service_type"]).first()
        officer = unit_officers(unit).filter(username=d["officer"]).first()
        errors = {}
        if service_type is None:
            errors["service_type"] = ["Unknown service type in this unit."]
        if officer is None:
            errors["officer"] = ["Not an officer of this unit."]
        if errors:
            raise ValidationError(errors)
        record = record_service(
            unit,
            actor=request.user,
            service_type=service_type,
            officer=officer,
            customer_name=d.get("customer_name", ""),
            customer_contact=d.get("customer_contact", ""),
            customer_kind=d["customer_kind"],
            channel=d["channel"],
            served_at=d.get("served_at"),
        )
        return Response(
            {
                "id": record.pk,
                "survey_token": record.survey_token,
                "survey_url": survey_url(record),
            },
            status=status.HTTP_201_CREATED,
        )


# --- the public survey -----------------------------------------------------------------------


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 4})
class AnswerValue(serializers.JSONField):
    """One element's answer; the schema states the scale (the survey checks the value)."""


class SurveyIn(serializers.Serializer):
    answers = serializers.DictField(
        child=AnswerValue(),
        help_text='{"U1": 1–4, …}; unanswered elements left out.',
    )
    comment = Text(required=False, allow_blank=True, max_length=COMMENT_MAX_LENGTH)


_SURROGATE = re.compile("[\ud800-\udfff]")


def plain_survey_body(data: object) -> dict | None:
    """The validated body, when it is the plain shape SurveyIn would return unchanged: an
    object of answers that are numbers or text and an optional comment of text (no NUL, no lone
    surrogate, at most max_length before trimming), the comment trimmed as SurveyIn does.
    None for anything else, which then goes through SurveyIn for its coercions and errors.
    A customer's answer is almost always plain; the serializer costs as much as the rest of
    the view."""
    if type(data) is not dict:
        return None
    answers, comment = data.get("answers"), data.get("comment", "")
    if type(answers) is not dict or any(type(v) not in (int, str) for v in answers.values()):
        return None
    if type(comment) is not str or len(comment) > COMMENT_MAX_LENGTH:
        return None
    if "\x00" in comment or _SURROGATE.search(comment):
        return None
    return {"answers": dict(answers), "comment": comment.strip()}


CLOSED = "This survey link is no longer open."


class SurveyOut(serializers.Serializer):
    id = serializers.IntegerField()
    flagged = serializers.BooleanField()


class SurveyView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "survey"
    parser_classes = [BoundedJSONParser]

    @extend_schema(
        request=SurveyIn,
        responses={
            201: SurveyOut,
            400: FieldErrors,
            404: Detail,
            410: Detail,
            415: Detail,
            429: Detail,
        },
    )
    def post(self, request, token: str):
        body = plain_survey_body(request.data)
        if body is None:
            data = SurveyIn(data=request.data)
            data.is_valid(raise_exception=True)
            body = data.validated_data
        try:
            response = submit_survey(
                token,
                answers=body["answers"],
                comment=body.get("comment", ""),
                source=ResponseSource.API,
            )
        except ServiceRecord.DoesNotExist:
            raise NotFound("Unknown survey token.") from None
        except (StateConflict, SurveyClosed):
            # Answered or expired: the same answer either way, so whoever holds the link
            # (the officer who printed it) cannot learn whether the customer answered.
            raise SurveyClosed(CLOSED) from None
        return Response(
            {"id": response.pk, "flagged": response.flagged}, status=status.HTTP_201_CREATED
        )


# --- IKM -------------------------------------------------------------------------------------


class ElementOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    nrr = serializers.FloatField()
    weighted = serializers.FloatField()


class ProfileRowOut(serializers.Serializer):
    value = serializers.CharField()
    count = serializers.IntegerField()
    share = serializers.FloatField()
    score = serializers.FloatField(allow_null=True)


class ProfileFieldOut(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    rows = ProfileRowOut(many=True)


class IkmOut(serializers.Serializer):
    unit = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    respondents = serializers.IntegerField()
    elements = ElementOut(many=True)
    ikm = serializers.FloatField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    grade = serializers.CharField(allow_null=True)
    label = serializers.CharField(allow_null=True)
    population = serializers.IntegerField()
    population_stated = serializers.BooleanField()
    sample_required = serializers.IntegerField()
    sample_adequate = serializers.BooleanField(allow_null=True)
    sample_shortfall = serializers.IntegerField()
    profile_filter = serializers.DictField(child=serializers.CharField())
    profile = ProfileFieldOut(many=True)


class IkmView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("unit", str, required=True, description="unit code"),
            OpenApiParameter("start", DATE_SCHEMA, required=True),
            OpenApiParameter(
                "end", DATE_SCHEMA, required=True, description="not before start; " + DATE_HELP
            ),
            OpenApiParameter("service", str, required=False, description="service type code"),
            OpenApiParameter("officer", str, required=False, description="officer's username"),
            *(
                OpenApiParameter(
                    name,
                    str,
                    required=False,
                    description="respondent profile answer: the IKM of those who gave it",
                )
                for name in PROFILE_FIELDS
            ),
        ],
        responses={200: IkmOut, 400: FieldErrors, 401: Detail, 403: Detail, 404: Detail},
    )
    def get(self, request):
        q = {
            name: query_text(request, name)
            for name in ("unit", "start", "end", "service", "officer")
        }
        unit = staff_unit(request, q["unit"], required=True)
        start, end = _date(q["start"], "start"), _date(q["end"], "end")
        if start > end:
            raise ValidationError({"end": [PERIOD_REVERSED]})
        service_type = officer = None
        if q["service"]:
            service_type = ServiceType.objects.filter(unit=unit, code=q["service"]).first()
            if service_type is None:
                raise ValidationError({"service": ["Unknown service type in this unit."]})
        if q["officer"]:
            officer = unit_officers(unit).filter(username=q["officer"]).first()
            if officer is None:
                raise ValidationError({"officer": ["Not an officer of this unit."]})
        # surveys.access: the unit's figures for whoever reads its results; one officer's for
        # the unit's readers and for that officer, never for a colleague.
        if officer is None and not reads_results(request.user, unit):
            raise PermissionDenied(_("Your role in this unit does not allow this."))
        if officer is not None and not reads_officer_figures(request.user, unit, officer):
            raise PermissionDenied(_("Only the unit's readers and the officer see these figures."))
        # A profile answer the unit neither lists nor holds is a 400 naming the parameter.
        profile = profile_filter(unit, {n: query_text(request, n) for n in PROFILE_FIELDS})
        return Response(ikm_report_full(unit, start, end, service_type, officer, profile))


# --- the daily recap -------------------------------------------------------------------------


class RecapElementOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    score = serializers.IntegerField()
    label = serializers.CharField()


class RecapResponseOut(serializers.Serializer):
    id = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    service_type = serializers.CharField(allow_null=True)
    officer = serializers.CharField(allow_null=True)
    officer_name = serializers.CharField(allow_null=True)
    officer_code = serializers.CharField(allow_null=True)
    unverified = serializers.BooleanField(
        help_text="an officer is named without a receipt (walk-in, import): refer only with a note"
    )
    elements = RecapElementOut(many=True)
    decision = serializers.ChoiceField(
        choices=["referred", "not_referred"],
        allow_null=True,
        help_text="the daily check's decision; null while undecided",
    )
    decision_note = serializers.CharField(allow_blank=True)
    cases = serializers.ListField(child=serializers.IntegerField())
    improvement_items = serializers.ListField(child=serializers.IntegerField())


class RecapOut(serializers.Serializer):
    unit = serializers.CharField()
    date = serializers.DateField()
    respondents = serializers.IntegerField()
    flagged = RecapResponseOut(many=True)
    checked = serializers.BooleanField()
    checked_by = serializers.CharField(allow_null=True)
    checked_at = serializers.DateTimeField(allow_null=True)


class RecapView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("unit", str, required=True, description="unit code"),
            OpenApiParameter("date", DATE_SCHEMA, required=True),
        ],
        responses={200: RecapOut, 400: FieldErrors, 401: Detail, 403: Detail, 404: Detail},
    )
    def get(self, request):
        unit = staff_unit(
            request, query_text(request, "unit"), allowed=reads_results, required=True
        )
        day = _date(query_text(request, "date"), "date")
        flagged = []
        codes_of = officer_codes(unit)
        for r in daily_q.flagged_on(unit, day):
            review = getattr(r, "review", None)
            answers = r.answers()
            codes = [c for c in r.flagged_elements.split(",") if c in answers]
            flagged.append(
                {
                    "id": r.pk,
                    "submitted_at": r.submitted_at,
                    "service_type": r.service_type.code if r.service_type else None,
                    "officer": r.officer.username if r.officer else None,
                    "officer_name": r.officer.display_name if r.officer else None,
                    "officer_code": codes_of.get(r.officer_id),
                    "unverified": r.unverified,
                    "decision": review.outcome if review else None,
                    "decision_note": review.note if review else "",
                    "elements": [
                        {
                            "code": c,
                            "name": ELEMENT_NAMES[c],
                            "score": answers[c],
                            "label": ANSWER_LABELS[c][answers[c] - 1],
                        }
                        for c in codes
                    ],
                    "cases": [c.pk for c in r.cases.all()],
                    "improvement_items": [i.pk for i in r.improvement_items.all()],
                }
            )
        check = unit.daily_checks.filter(day=day).select_related("signed_by").first()
        body = {
            "unit": unit.code,
            "date": day,
            "respondents": daily_q.responses_on(unit, day).count(),
            "flagged": flagged,
            "checked": check is not None,
            "checked_by": check.signed_by.username if check else None,
            "checked_at": check.signed_at if check else None,
        }
        return Response(RecapOut(body).data)


urlpatterns = [
    path("service-records/", ServiceRecordView.as_view(), name="api-service-records"),
    path("surveys/<str:token>/", SurveyView.as_view(), name="api-survey"),
    path("ikm/", IkmView.as_view(), name="api-ikm"),
    path("recap/", RecapView.as_view(), name="api-recap"),
]
