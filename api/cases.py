"""/api/v1/cases/: the case workflow of DESIGN §5–§6, a thin face over cases.workflow.

Answers: 400 with per-field errors for a bad payload, 403 when the user's role (or the
segregation of duties) does not allow the action, 404 for a case the user may not see, 409 when
the case's state does not allow the action.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.parsers import JSONParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import issuing, letters, workflow
from cases.access import (
    can_view_case,
    cases_for_user,
    get_case_for_user,
    get_case_or_own,
    get_own_case,
)
from cases.deadlines import case_deadlines
from cases.models import Case, CaseAction, CaseState, DocumentKind
from units.access import has_role
from units.models import Membership, Role, User

from .conventions import Flag, Pagination, Text, WholeNumber, staff_unit

TEXT = 10_000  # longest free text accepted
MAX_COST = 10**12  # rupiah; anything larger is a typing error

# --- Answers ----------------------------------------------------------------------------------


class SourceOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["survey", "complaint", "manual"])
    id = serializers.IntegerField(allow_null=True)


class DeadlineOut(serializers.Serializer):
    name = serializers.CharField(help_text="rule code: `decree` or `compensation`")
    due = serializers.DateTimeField()
    overdue = serializers.BooleanField()


class DecreeOut(serializers.Serializer):
    number = serializers.CharField()
    date = serializers.DateField()
    sanction = serializers.CharField(help_text="sanction code")
    sha256 = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="SHA-256 of the PDF as issued (decree.pdf serves exactly these bytes); "
        "in a case's detail only",
    )
    verification_url = serializers.URLField(
        required=False,
        allow_null=True,
        help_text="the public page that confirms a printed copy; in a case's detail only",
    )


class EventOut(serializers.Serializer):
    action = serializers.CharField()
    actor = serializers.CharField(allow_null=True, help_text="username; null for the system")
    at = serializers.DateTimeField()
    from_state = serializers.CharField(allow_blank=True)
    to_state = serializers.CharField()
    data = serializers.JSONField()


class CaseOut(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=CaseState.values)
    officer = serializers.CharField(help_text="username")
    source = SourceOut()
    deadlines = DeadlineOut(many=True)
    decree = DecreeOut(allow_null=True)
    events = EventOut(many=True)


class CaseListItemOut(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=CaseState.values)
    officer = serializers.CharField()
    source = SourceOut()
    opened_at = serializers.DateTimeField()
    due = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()
    decree = DecreeOut(allow_null=True)


ERROR = OpenApiResponse(OpenApiTypes.OBJECT, description="`detail` and, for 400, field errors")
STATUS_DOCS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Bad payload: errors per field."),
    401: OpenApiResponse(OpenApiTypes.OBJECT, description="Not authenticated."),
    403: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Your role or the segregation of duties does not allow this.",
    ),
    404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such case that you may see."),
    409: OpenApiResponse(OpenApiTypes.OBJECT, description="The case's state does not allow it."),
    415: OpenApiResponse(OpenApiTypes.OBJECT, description="Send the payload as JSON."),
}

# What the officer named in a case sees of its events: their summons, hearing, defence and the
# decision; never the review, proposal or compensation notes, which may name the customer.
OFFICER_EVENT_DATA = frozenset(
    {CaseAction.SUMMON, CaseAction.HEARING, CaseAction.DEFENCE, CaseAction.DECIDE}
)


def _source(case: Case) -> dict:
    return {"kind": case.source_kind, "id": case.source_id}


def _decree(case: Case, *, document: bool = False) -> dict | None:
    decree = getattr(case, "decree", None)
    if decree is None:
        return None
    out = {"number": decree.number, "date": decree.date, "sanction": decree.sanction.code}
    if document:
        issued = case.documents.filter(kind=DocumentKind.DECREE).first()
        out["sha256"] = issued.sha256 if issued else None
        out["verification_url"] = (
            issuing.verification_url(issued.verification_code) if issued else None
        )
    return out


def case_payload(case: Case, *, viewer: User) -> dict:
    full = can_view_case.test(viewer, case)
    events = list(case.events.select_related("actor").order_by("at", "pk"))
    return {
        "id": case.pk,
        "state": case.state,
        "officer": case.officer.username,
        "source": _source(case),
        "deadlines": [
            {"name": d.code, "due": d.due, "overdue": d.overdue}
            for d in case_deadlines(case, events)
        ],
        "decree": _decree(case, document=True),
        "events": [
            {
                "action": e.action,
                "actor": e.actor.username if e.actor else None,
                "at": e.at,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "data": e.data if full or e.action in OFFICER_EVENT_DATA else {},
            }
            for e in events
        ],
    }


def _case_response(case_id: int, viewer: User, code: int = status.HTTP_200_OK) -> Response:
    case = Case.objects.select_related("unit", "officer", "decree__sanction").get(pk=case_id)
    return Response(CaseOut(case_payload(case, viewer=viewer)).data, status=code)


def _actionable(user: User, case_id: int, action: str) -> Case:
    """The case for an action, fetched as the web fetches it (cases.access): one reads a case
    to act on it, its officer only for their defence; 404 otherwise. The workflow then judges
    role (403) and state (409)."""
    if action == CaseAction.DEFENCE:
        return get_own_case(user, case_id)
    return get_case_for_user(user, case_id)


# --- Payloads ---------------------------------------------------------------------------------


def _text(**kwargs) -> serializers.CharField:
    return Text(max_length=TEXT, **kwargs)


def _optional_text() -> serializers.CharField:
    return Text(max_length=TEXT, required=False, allow_blank=True, default="")


def _codes(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=Text(max_length=50), allow_empty=False, max_length=50, help_text=help_text
    )


class OpenCaseIn(serializers.Serializer):
    officer = Text(max_length=150, help_text="the officer's username")
    reason = _text()
    unit = Text(
        max_length=50, required=False, help_text="unit code; needed only if you open in several"
    )


class ReferIn(serializers.Serializer):
    note = _optional_text()


class DismissIn(serializers.Serializer):
    reason = _text()


class SummonIn(serializers.Serializer):
    scheduled_at = serializers.DateTimeField()
    place = Text(max_length=200)


class HearingIn(serializers.Serializer):
    explanation = _text()
    defence = _optional_text()


class DefenceIn(serializers.Serializer):
    defence = _text()


class ProposeIn(serializers.Serializer):
    violations = _codes("violation codes")
    sanction = Text(max_length=50, help_text="sanction code")
    reasoning = _text()


class VerifyIn(serializers.Serializer):
    approved = Flag()
    note = _optional_text()


class DecideIn(serializers.Serializer):
    issue_decree = Flag()
    reason = _optional_text()


class CompensateIn(serializers.Serializer):
    compensations = _codes("compensation codes")
    cost = WholeNumber(min_value=0, max_value=MAX_COST, help_text="rupiah")
    note = _optional_text()
    confirm_over_budget = Flag(
        required=False,
        default=False,
        help_text="required (true) when the cost exceeds what remains of the year's budget",
    )


class DeliverIn(serializers.Serializer):
    delivered_at = serializers.DateTimeField()
    method = Text(max_length=200)
    customer_acknowledged = Flag()
    note = _optional_text()


ACTION_PAYLOADS: dict[str, type[serializers.Serializer]] = {
    CaseAction.REFER: ReferIn,
    CaseAction.DISMISS: DismissIn,
    CaseAction.SUMMON: SummonIn,
    CaseAction.HEARING: HearingIn,
    CaseAction.DEFENCE: DefenceIn,
    CaseAction.PROPOSE: ProposeIn,
    CaseAction.VERIFY: VerifyIn,
    CaseAction.DECIDE: DecideIn,
    CaseAction.COMPENSATE: CompensateIn,
    CaseAction.DELIVER: DeliverIn,
}


# --- Views ------------------------------------------------------------------------------------


class CaseFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=CaseState.choices, help_text="filter by state")
    officer = django_filters.CharFilter(
        field_name="officer__username", help_text="filter by the officer's username"
    )

    class Meta:
        model = Case
        fields = ["state", "officer"]


class CaseListView(ListAPIView):
    """Cases you may read; POST opens a case manually (back office, coordinator)."""

    serializer_class = CaseListItemOut
    parser_classes = [JSONParser]
    filterset_class = CaseFilter
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Case]:
        cases = cases_for_user(self.request.user).select_related("officer", "decree__sanction")
        return cases.order_by("-opened_at", "-pk")

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        now = timezone.now()
        items = [
            {
                "id": c.pk,
                "state": c.state,
                "officer": c.officer.username,
                "source": _source(c),
                "opened_at": c.opened_at,
                "due": c.due_at,
                "overdue": c.due_at is not None and c.due_at < now,
                "decree": _decree(c),
            }
            for c in page
        ]
        return self.get_paginated_response(CaseListItemOut(items, many=True).data)

    @extend_schema(
        responses={200: CaseListItemOut(many=True), 400: STATUS_DOCS[400], 401: STATUS_DOCS[401]},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=OpenCaseIn,
        responses={201: CaseOut, **{c: STATUS_DOCS[c] for c in (400, 401, 403, 415)}},
    )
    def post(self, request: Request) -> Response:
        payload = OpenCaseIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        unit = staff_unit(
            request,
            data.get("unit"),
            allowed=lambda user, unit: has_role(user, unit, *workflow.OPENING.roles),
        )
        officer = User.objects.filter(
            username=data["officer"],
            pk__in=Membership.objects.filter(unit=unit, role=Role.OFFICER).values("user"),
        ).first()
        if officer is None:
            raise ValidationError({"officer": ["No officer with this username in the unit."]})
        case = workflow.open_case(unit, actor=request.user, officer=officer, reason=data["reason"])
        return _case_response(case.pk, request.user, status.HTTP_201_CREATED)


class CaseDetailView(APIView):
    @extend_schema(responses={200: CaseOut, 401: STATUS_DOCS[401], 404: STATUS_DOCS[404]})
    def get(self, request: Request, id: int) -> Response:  # noqa: A002 - the contract's name
        return _case_response(get_case_or_own(request.user, id).pk, request.user)


class PDFRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class DecreePDFView(APIView):
    renderer_classes = [JSONRenderer, PDFRenderer]

    @extend_schema(
        operation_id="cases_decree_pdf",
        parameters=[OpenApiParameter("format", exclude=True)],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (401, "application/json"): STATUS_DOCS[401],
            (404, "application/json"): STATUS_DOCS[404],
        },
    )
    def get(self, request: Request, id: int) -> HttpResponse:  # noqa: A002
        case = get_case_or_own(request.user, id)
        decree = getattr(case, "decree", None)
        if decree is None:
            raise NotFound("This case has no decree.")
        document = issuing.decree_document(decree)  # the bytes as issued
        response = HttpResponse(issuing.document_bytes(document), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{letters.decree_filename(decree)}"'
        return response

    def handle_exception(self, exc):
        # Errors are JSON whatever the client accepts.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


def _action_view(action: str) -> type[APIView]:
    payload_class = ACTION_PAYLOADS[action]

    class CaseActionView(APIView):
        parser_classes = [JSONParser]

        @extend_schema(
            operation_id=f"cases_{action}",
            summary=str(CaseAction(action).label),
            request=payload_class,
            responses={200: CaseOut, **STATUS_DOCS},
        )
        def post(self, request: Request, id: int) -> Response:  # noqa: A002
            case = _actionable(request.user, id, action)
            workflow.check_action(case, action, request.user)  # 403 / 409 before the payload
            payload = payload_class(data=request.data)
            payload.is_valid(raise_exception=True)
            workflow.apply_action(case, action, actor=request.user, **payload.validated_data)
            return _case_response(case.pk, request.user)

    CaseActionView.__name__ = f"Case{action.title()}View"
    CaseActionView.__qualname__ = CaseActionView.__name__
    return CaseActionView


urlpatterns = [
    path("cases/", CaseListView.as_view(), name="api-cases"),
    path("cases/<int:id>/", CaseDetailView.as_view(), name="api-case"),
    path("cases/<int:id>/decree.pdf", DecreePDFView.as_view(), name="api-case-decree"),
] + [
    path(f"cases/<int:id>/{action}/", _action_view(action).as_view(), name=f"api-case-{action}")
    for action in ACTION_PAYLOADS
]
