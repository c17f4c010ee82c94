"""/api/v1/complaints/: the public web channel and tracking, and the staff register.

POST /complaints/ is public (the web channel, throttled per address) while GET /complaints/
on the same path lists the register for staff: authentication, permissions and throttles are
chosen per method. The rules are in complaints.services; this module parses and authorises.
"""

from __future__ import annotations

import math

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, Throttled
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import intake
from complaints import antispam, services
from complaints import messages as msg
from complaints.access import get_complaint_for_user, reads_complaints
from complaints.filters import ComplaintFilter
from complaints.models import (
    Complaint,
    ComplaintKind,
    ComplaintStatus,
    TriageOutcome,
)
from complaints.tracking import normalise_code
from pulih.lib.bounds import DATE_HELP
from pulih.lib.ratelimit import ScopedRateThrottle
from units.models import Unit, User

from .conventions import (
    ApiDateTimeField,
    Pagination,
    StrictFilters,
    filtered,
    query_text,
    staff_unit,
)

# --- errors as documented ---------------------------------------------------------------------

Detail = inline_serializer("ComplaintErrorDetail", {"detail": serializers.CharField()})
FieldErrors = inline_serializer(
    "ComplaintFieldErrors",
    {
        "detail": serializers.CharField(required=False),
        "field_name": serializers.ListField(child=serializers.CharField(), required=False),
    },
)
STAFF_ERRORS = {401: Detail, 403: Detail}


class ThrottledWithMessage(Throttled):
    """429 with our own Indonesian message (DRF's would append its English-ish wait hint)."""

    def __init__(self, wait: float | None, detail: str):
        APIException.__init__(self, detail, "throttled")
        self.wait = math.ceil(wait) if wait is not None else None


def _throttled(wait: float | None):
    seconds = math.ceil(wait) if wait else 60
    raise ThrottledWithMessage(
        wait,
        str(msg.THROTTLED) % {"seconds": seconds},
    )


# --- serializers -----------------------------------------------------------------------------


class PublicComplaintIn(serializers.Serializer):
    unit = serializers.CharField(max_length=50, help_text="the unit's code")
    text = serializers.CharField(max_length=services.MAX_TEXT)
    kind = serializers.ChoiceField(
        choices=ComplaintKind.choices, default=ComplaintKind.COMPLAINT, required=False
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    anonymous = serializers.BooleanField(required=False, default=False)
    service_type = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default="", help_text="service code"
    )
    form_token = serializers.CharField(
        max_length=500,
        help_text=(
            "from GET /api/v1/complaints/form-token/ for this unit: good once, at least "
            "COMPLAINT_MIN_FILL_SECONDS (default 3) and at most COMPLAINT_API_TOKEN_MAX_AGE "
            "(default 1800) seconds after it was given"
        ),
    )
    website = serializers.CharField(
        max_length=0,
        required=False,
        allow_blank=True,
        default="",
        help_text="leave out or empty: a field only form-filling robots fill in",
    )


class FormTokenOut(serializers.Serializer):
    form_token = serializers.CharField()
    min_age_seconds = serializers.IntegerField()
    max_age_seconds = serializers.IntegerField()


class PublicComplaintOut(serializers.Serializer):
    tracking_code = serializers.CharField()
    status = serializers.ChoiceField(choices=ComplaintStatus.choices)
    tracking_url = serializers.CharField()


class TrackOut(serializers.Serializer):
    tracking_code = serializers.CharField()
    unit = serializers.CharField(source="unit.code")
    kind = serializers.ChoiceField(choices=ComplaintKind.choices)
    status = serializers.ChoiceField(choices=ComplaintStatus.choices)
    received_at = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    answer_due_at = serializers.DateTimeField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    answer = serializers.CharField()


class ComplaintOut(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")
    channel = serializers.CharField(source="channel.code")
    service_type = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="service code"
    )
    officer = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="officer's username"
    )
    overdue = serializers.BooleanField(source="is_overdue")
    triage_outcome = serializers.CharField(
        help_text="`case`, `improvement` or `direct`; empty until triaged"
    )

    class Meta:
        model = Complaint
        fields = [
            "id",
            "tracking_code",
            "unit",
            "channel",
            "kind",
            "status",
            "received_at",
            "name",
            "contact",
            "anonymous",
            "service_type",
            "officer",
            "text",
            "triage_outcome",
            "ack_due_at",
            "acknowledged_at",
            "answer_due_at",
            "answered_at",
            "overdue",
            "answer",
        ]


class ComplaintEventOut(serializers.Serializer):
    action = serializers.CharField()
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    at = serializers.DateTimeField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    data = serializers.DictField()


class AttachmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class ComplaintDetailOut(ComplaintOut):
    triage_note = serializers.CharField()
    events = ComplaintEventOut(many=True, read_only=True)
    attachments = AttachmentOut(many=True, read_only=True)
    cases = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    improvement_items = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(ComplaintOut.Meta):
        fields = [
            *ComplaintOut.Meta.fields,
            "triage_note",
            "events",
            "attachments",
            "cases",
            "improvement_items",
        ]


class ComplaintListFilter(StrictFilters, ComplaintFilter):
    """The register's filters (complaints.filters), strict as every API list's."""


class RecordIn(serializers.Serializer):
    unit = serializers.CharField(required=False, help_text="unit code (default: your unit)")
    channel = serializers.CharField(max_length=50, help_text="channel code")
    text = serializers.CharField(max_length=services.MAX_TEXT)
    kind = serializers.ChoiceField(
        choices=ComplaintKind.choices, default=ComplaintKind.COMPLAINT, required=False
    )
    received_at = ApiDateTimeField(
        required=False, help_text="not in the future (default now); " + DATE_HELP
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    anonymous = serializers.BooleanField(required=False, default=False)
    service_type = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default="", help_text="service code"
    )
    officer = serializers.CharField(
        max_length=150, required=False, allow_blank=True, default="", help_text="username"
    )


class TriageIn(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=TriageOutcome.choices)
    officer = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        default="",
        help_text="username; required for outcome `case`",
    )
    note = serializers.CharField(
        max_length=services.MAX_TEXT, required=False, allow_blank=True, default=""
    )


class AnswerIn(serializers.Serializer):
    answer = serializers.CharField(max_length=services.MAX_TEXT)


class AcknowledgeIn(serializers.Serializer):
    note = serializers.CharField(
        max_length=services.MAX_TEXT, required=False, allow_blank=True, default=""
    )


# --- helpers -------------------------------------------------------------------------------


def _staff_unit(request, code: str | None) -> Unit:
    return staff_unit(request, code, allowed=reads_complaints)


def _complaint_for(request, pk: int) -> Complaint:
    """complaints.access, as on the web: 404 for another unit's, 403 without a reading role."""
    return get_complaint_for_user(request.user, pk)


def _user(username: str, field: str = "officer") -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username).first()
    if user is None:
        raise serializers.ValidationError({field: [msg.UNKNOWN_USER]})
    return user


def _detail(complaint: Complaint) -> dict:
    fresh = (
        Complaint.objects.select_related("unit", "channel", "service_type", "officer")
        .prefetch_related("events__actor", "attachments", "cases", "improvement_items")
        .get(pk=complaint.pk)
    )
    return ComplaintDetailOut(fresh).data


# --- views ---------------------------------------------------------------------------------


class ComplaintCollectionView(GenericAPIView):
    """GET: the register (staff). POST: a complaint through the web channel (public)."""

    serializer_class = ComplaintOut
    queryset = Complaint.objects.none()  # for the schema; get() builds the unit's list
    filterset_class = ComplaintListFilter  # for the schema; get() filters the unit's list
    pagination_class = Pagination
    throttle_scope = "complaint"

    def _is_public(self) -> bool:
        return getattr(self.request, "method", "GET") == "POST"

    def get_authenticators(self):
        return [] if self._is_public() else super().get_authenticators()

    def get_permissions(self):
        return [AllowAny()] if self._is_public() else [IsAuthenticated()]

    def get_throttles(self):
        return [ScopedRateThrottle()] if self._is_public() else []

    def throttled(self, request, wait):
        _throttled(wait)

    @extend_schema(
        operation_id="complaints_list",
        parameters=[OpenApiParameter("unit", str, description="unit code (default: your unit)")],
        responses={200: ComplaintOut(many=True), 400: FieldErrors, 404: Detail, **STAFF_ERRORS},
    )
    def get(self, request):
        unit = _staff_unit(request, query_text(request, "unit"))
        complaints = filtered(ComplaintListFilter(request.query_params, unit=unit))
        page = self.paginate_queryset(complaints.select_related("unit"))
        return self.get_paginated_response(ComplaintOut(page, many=True).data)

    @extend_schema(
        operation_id="complaints_submit",
        request=PublicComplaintIn,
        responses={201: PublicComplaintOut, 400: FieldErrors, 429: Detail},
    )
    def post(self, request):
        payload = PublicComplaintIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        unit = Unit.objects.filter(code=data["unit"]).first()
        if unit is None:
            raise serializers.ValidationError({"unit": [msg.UNKNOWN_UNIT]})
        problem = antispam.use_api_form_token(data["form_token"], unit.code)
        if problem:
            message = {
                "too_fast": msg.FORM_TOKEN_TOO_FAST,
                "used": msg.FORM_TOKEN_USED,
            }.get(problem, msg.FORM_TOKEN_EXPIRED)
            raise serializers.ValidationError({"form_token": [message]})
        complaint = services.submit_public_complaint(
            unit,
            text=data["text"],
            kind=data["kind"],
            name=data["name"],
            contact=data["contact"],
            anonymous=data["anonymous"],
            service_type=data["service_type"] or None,
        )
        body = {
            "tracking_code": complaint.tracking_code,
            "status": complaint.status,
            "tracking_url": services.tracking_url(complaint),
        }
        return Response(PublicComplaintOut(body).data, status=status.HTTP_201_CREATED)


class ComplaintFormTokenView(APIView):
    """A signed, single-use form token: the API's proof that a person fills in the complaint."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public"

    def throttled(self, request, wait):
        _throttled(wait)

    @extend_schema(
        operation_id="complaints_form_token",
        parameters=[OpenApiParameter("unit", str, required=True, description="the unit's code")],
        responses={200: FormTokenOut, 400: FieldErrors, 429: Detail},
        description=(
            "Ask for this before `POST /api/v1/complaints/` and send it there as `form_token`: "
            "wait at least `min_age_seconds`, send within `max_age_seconds`, once."
        ),
    )
    def get(self, request):
        code = request.query_params.get("unit", "")
        if not code or len(code) > 50 or not Unit.objects.filter(code=code).exists():
            raise serializers.ValidationError({"unit": [msg.UNKNOWN_UNIT]})
        body = {
            "form_token": antispam.api_form_token(code),
            "min_age_seconds": math.ceil(antispam.min_fill_seconds()),
            "max_age_seconds": antispam.api_token_max_age(),
        }
        return Response(FormTokenOut(body).data)


class ComplaintTrackView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public"

    @extend_schema(
        parameters=[OpenApiParameter("code", str, OpenApiParameter.PATH)],
        responses={200: TrackOut, 404: Detail, 429: Detail},
    )
    def get(self, request, code: str):
        normal = normalise_code(code)
        complaint = (
            Complaint.objects.select_related("unit").filter(tracking_code=normal).first()
            if normal
            else None
        )
        if complaint is None:
            raise NotFound(msg.UNKNOWN_CODE)
        return Response(TrackOut(complaint).data)


class ComplaintRecordView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=RecordIn,
        responses={201: ComplaintDetailOut, 400: FieldErrors, 404: Detail, **STAFF_ERRORS},
    )
    def post(self, request):
        payload = RecordIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        unit = _staff_unit(request, data.get("unit"))
        complaint = services.record_complaint(
            unit,
            actor=request.user,
            channel=data["channel"],
            text=data["text"],
            kind=data["kind"],
            received_at=data.get("received_at"),
            name=data["name"],
            contact=data["contact"],
            anonymous=data["anonymous"],
            service_type=data["service_type"] or None,
            officer=_user(data["officer"]),
        )
        return Response(_detail(complaint), status=status.HTTP_201_CREATED)


class ComplaintDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ComplaintDetailOut, 404: Detail, **STAFF_ERRORS})
    def get(self, request, pk: int):
        return Response(_detail(_complaint_for(request, pk)))


def _action_schema(request_serializer):
    return extend_schema(
        request=request_serializer,
        responses={
            200: ComplaintDetailOut,
            400: FieldErrors,
            404: Detail,
            409: Detail,
            **STAFF_ERRORS,
        },
    )


class ComplaintAcknowledgeView(APIView):
    permission_classes = [IsAuthenticated]

    @_action_schema(AcknowledgeIn)
    def post(self, request, pk: int):
        complaint = _complaint_for(request, pk)
        payload = AcknowledgeIn(data=request.data)
        payload.is_valid(raise_exception=True)
        services.acknowledge_complaint(
            complaint, actor=request.user, note=payload.validated_data["note"]
        )
        return Response(_detail(complaint))


class ComplaintTriageView(APIView):
    permission_classes = [IsAuthenticated]

    @_action_schema(TriageIn)
    def post(self, request, pk: int):
        complaint = _complaint_for(request, pk)
        payload = TriageIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        intake.triage_complaint(
            complaint,
            actor=request.user,
            outcome=data["outcome"],
            officer=_user(data["officer"]),
            note=data["note"],
        )
        return Response(_detail(complaint))


class ComplaintAnswerView(APIView):
    permission_classes = [IsAuthenticated]

    @_action_schema(AnswerIn)
    def post(self, request, pk: int):
        complaint = _complaint_for(request, pk)
        payload = AnswerIn(data=request.data)
        payload.is_valid(raise_exception=True)
        services.answer_complaint(
            complaint, actor=request.user, answer=payload.validated_data["answer"]
        )
        return Response(_detail(complaint))


urlpatterns = [
    path("complaints/", ComplaintCollectionView.as_view(), name="api-complaints"),
    path("complaints/record/", ComplaintRecordView.as_view(), name="api-complaint-record"),
    path(
        "complaints/form-token/", ComplaintFormTokenView.as_view(), name="api-complaint-form-token"
    ),
    path("complaints/track/<str:code>/", ComplaintTrackView.as_view(), name="api-complaint-track"),
    path("complaints/<int:pk>/", ComplaintDetailView.as_view(), name="api-complaint"),
    path(
        "complaints/<int:pk>/acknowledge/",
        ComplaintAcknowledgeView.as_view(),
        name="api-complaint-acknowledge",
    ),
    path("complaints/<int:pk>/triage/", ComplaintTriageView.as_view(), name="api-complaint-triage"),
    path("complaints/<int:pk>/answer/", ComplaintAnswerView.as_view(), name="api-complaint-answer"),
]
