"""/api/v1/cases/: the case workflow of DESIGN §5–§6, a thin face over cases.workflow.

Answers: 400 with per-field errors for a bad payload, 403 when the user's role (or the
segregation of duties) does not allow the action, 404 for a case the user may not see, 409 when
the case's state does not allow the action.
"""

from __future__ import annotations

import dataclasses

import django_filters
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.parsers import BoundedJSONParser
from cases import charge, intake, issuing, letters, workflow
from cases.access import (
    can_view_case,
    cases_for_user,
    get_case_for_user,
    get_case_or_own,
    get_own_case,
)
from cases.deadlines import case_deadlines
from cases.filters import CaseFilter
from cases.models import Case, CaseAction, CaseState, DocumentKind
from pulih.lib.bounds import MAX_RUPIAH
from surveys.models import SurveyResponse
from units.access import has_role
from units.models import Membership, Role, Unit, User

from .conventions import (
    ApiDateTimeField,
    Flag,
    Pagination,
    StrictFilters,
    Text,
    WholeNumber,
    staff_unit,
)
from .schema import NO_NUL

TEXT = 10_000  # longest free text accepted
MAX_COST = MAX_RUPIAH  # anything larger is a typing error

# --- Answers ----------------------------------------------------------------------------------


class SourceOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["survey", "complaint", "manual"])
    id = serializers.IntegerField(allow_null=True)


class DeadlineOut(serializers.Serializer):
    name = serializers.CharField(help_text="rule code: `decree` or `compensation`")
    due = serializers.DateTimeField()
    overdue = serializers.BooleanField()
    outcome = serializers.ChoiceField(
        choices=["open", "met", "not_issued"],
        help_text="`not_issued`: the head decided not to issue a decree",
    )


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


class ScoreOut(serializers.Serializer):
    code = serializers.CharField(help_text="element, U1…U9")
    name = serializers.CharField()
    value = serializers.IntegerField(allow_null=True, help_text="1–4; null when not answered")
    flagged = serializers.BooleanField()
    label = serializers.CharField(allow_blank=True)


class ChargeOut(serializers.Serializer):
    """What caused the case (the survey answer's scores and comment, or the complaint's text);
    never the customer's name or contact."""

    service = serializers.CharField(allow_blank=True)
    served_at = serializers.DateTimeField(allow_null=True)
    scores = ScoreOut(many=True)
    comment = serializers.CharField(allow_blank=True)
    complaint_text = serializers.CharField(allow_blank=True)


class CaseOut(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.ChoiceField(choices=CaseState.values)
    officer = serializers.CharField(help_text="username")
    source = SourceOut()
    charge = ChargeOut(
        allow_null=True,
        help_text="what caused the case; the officer named sees it from referral on (null before)",
    )
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


def _outcome(deadline) -> str:
    if deadline.not_issued:
        return "not_issued"
    return "met" if deadline.met_at else "open"


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


def _charge(case: Case, *, full: bool) -> dict | None:
    """The finding, as the case page shows it to who reads the case, and as the officer's own
    page shows it to the officer (from referral on)."""
    found = charge.finding_of(case) if full else charge.charge_for(case)
    return dataclasses.asdict(found) if found is not None else None


def _officer_sees(action: str) -> bool:
    """What the officer named in a case sees of an event's content, as the workflow declares
    (their summons, hearing, defence, the decision and their objection; never the review,
    proposal or compensation notes, which may name the customer)."""
    spec = workflow.ACTIONS.get(action)
    return spec is not None and spec.officer_sees


def case_payload(case: Case, *, viewer: User) -> dict:
    full = can_view_case.test(viewer, case)
    events = list(case.events.select_related("actor").order_by("at", "pk"))
    return {
        "id": case.pk,
        "state": case.state,
        "officer": case.officer.username,
        "source": _source(case),
        "charge": _charge(case, full=full),
        "deadlines": [
            {"name": d.code, "due": d.due, "overdue": d.overdue, "outcome": _outcome(d)}
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
                "data": e.data if full or _officer_sees(e.action) else {},
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
    """A manual case (officer and reason), or the daily check's referral of a flagged survey
    response (`source` "survey", `survey_response`, and a `note` — required when the response
    is unverified, i.e. names an officer without a receipt)."""

    source = serializers.ChoiceField(choices=["manual", "survey"], required=False, default="manual")
    officer = Text(
        max_length=150,
        required=False,
        help_text="the officer's username; for a survey response only if it names none",
    )
    reason = Text(max_length=TEXT, required=False, help_text="why the case is opened (manual)")
    survey_response = WholeNumber(
        required=False, min_value=1, help_text="id of the flagged response (source survey)"
    )
    note = _optional_text()
    unit = Text(
        max_length=50, required=False, help_text="unit code; needed only if you open in several"
    )

    def validate(self, data: dict) -> dict:
        errors = {}
        if data["source"] == "manual":
            for name in ("officer", "reason"):
                if not (data.get(name) or "").strip():
                    errors[name] = ["This field is required."]
        elif "survey_response" not in data:
            errors["survey_response"] = ["This field is required."]
        if errors:
            raise ValidationError(errors)
        return data


class ManualCaseIn(OpenCaseIn):
    """A manual case, as the schema states it (OpenCaseIn parses and checks)."""

    source = serializers.ChoiceField(choices=["manual"], required=False, default="manual")
    officer = Text(max_length=150, help_text="the officer's username")
    reason = Text(max_length=TEXT, help_text="why the case is opened")


class SurveyReferralIn(OpenCaseIn):
    """The daily check's referral of a flagged survey response, as the schema states it."""

    source = serializers.ChoiceField(choices=["survey"])
    survey_response = WholeNumber(min_value=1, help_text="id of the flagged response")


# One of the two shapes, so that the schema states what OpenCaseIn.validate requires.
OPEN_CASE_SCHEMA = PolymorphicProxySerializer(
    component_name="OpenCaseIn",
    serializers=[ManualCaseIn, SurveyReferralIn],
    resource_type_field_name=None,
)


class DeclineIn(serializers.Serializer):
    reason = _text()


class DecisionOut(serializers.Serializer):
    survey_response = serializers.IntegerField()
    decision = serializers.ChoiceField(choices=["referred", "not_referred"])
    note = serializers.CharField(allow_blank=True)


class ReferIn(serializers.Serializer):
    note = _optional_text()


class DismissIn(serializers.Serializer):
    reason = _text()


class SummonIn(serializers.Serializer):
    scheduled_at = ApiDateTimeField()
    place = Text(max_length=200)


class HearingIn(serializers.Serializer):
    attended = Flag(
        required=False,
        default=True,
        help_text="false records that the officer did not come to the pending summons",
    )
    held_at = serializers.DateTimeField(
        required=False, help_text="when it was held; not before the summons' date; default now"
    )
    explanation = _optional_text()
    defence = _optional_text()


class DefenceIn(serializers.Serializer):
    defence = _text()


class ProposeIn(serializers.Serializer):
    violations = _codes("violation codes")
    sanction = Text(max_length=50, help_text="sanction code")
    reasoning = _text()
    justification = Text(
        max_length=TEXT,
        required=False,
        allow_blank=True,
        default="",
        help_text="required when the sanction's level differs from the most severe violation's",
    )


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
    delivered_at = ApiDateTimeField()
    method = Text(max_length=200)
    customer_acknowledged = Flag()
    unacknowledged_reason = Text(
        max_length=TEXT,
        required=False,
        allow_blank=True,
        default="",
        help_text="required when customer_acknowledged is false (e.g. unreachable)",
    )
    note = _optional_text()


class ObjectIn(serializers.Serializer):
    text = _text()


class RuleObjectionIn(serializers.Serializer):
    upheld = Flag()
    reason = _text()


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
    CaseAction.OBJECT: ObjectIn,
    CaseAction.RULE_OBJECTION: RuleObjectionIn,
}


# --- Views ------------------------------------------------------------------------------------


class CaseListFilter(StrictFilters, CaseFilter):
    """The case list's filters (cases.filters), strict as every API list's; overdue as the API
    writes a flag (true/false)."""

    overdue = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_overdue_flag",
        help_text="true: only the cases past their step's deadline",
    )

    def filter_overdue_flag(self, qs, name: str, value: str):
        return self.filter_overdue(qs, name, value == "true")


class CaseListView(ListAPIView):
    """Cases you may read; POST opens a case manually (back office, coordinator)."""

    serializer_class = CaseListItemOut
    parser_classes = [BoundedJSONParser]
    filterset_class = CaseListFilter
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
        parameters=[
            # conventions.FilterSet refuses a filter named with no value; a NUL is refused too.
            OpenApiParameter(
                "officer",
                {"type": "string", "minLength": 1, "maxLength": 150, "pattern": NO_NUL},
                description="filter by the officer's username",
            )
        ],
        responses={200: CaseListItemOut(many=True), 400: STATUS_DOCS[400], 401: STATUS_DOCS[401]},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=OPEN_CASE_SCHEMA,
        responses={201: CaseOut, **{c: STATUS_DOCS[c] for c in (400, 401, 403, 404, 409, 415)}},
    )
    def post(self, request: Request) -> Response:
        payload = OpenCaseIn(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if data["source"] == "survey":
            return self._refer(request, data)
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

    def _refer(self, request: Request, data: dict) -> Response:
        """The daily check's referral of one flagged response (cases.intake)."""
        units = Unit.objects.filter(
            memberships__user=request.user, memberships__role__in=list(workflow.OPENING.roles)
        ).distinct()
        if not units.exists():
            raise PermissionDenied("Your role may not open a case.")
        response = (
            SurveyResponse.objects.filter(pk=data["survey_response"], unit__in=units)
            .select_related("unit", "officer")
            .first()
        )
        if response is None:
            raise ValidationError({"survey_response": ["No such response in your units."]})
        officer = None
        if data.get("officer"):
            officer = User.objects.filter(
                username=data["officer"],
                pk__in=Membership.objects.filter(unit=response.unit, role=Role.OFFICER).values(
                    "user"
                ),
            ).first()
            if officer is None:
                raise ValidationError({"officer": ["No officer with this username in the unit."]})
        (case,) = intake.refer_flagged_responses(
            [response], actor=request.user, note=data["note"], officer=officer
        )
        return _case_response(case.pk, request.user, status.HTTP_201_CREATED)


class DeclineResponseView(APIView):
    """The daily check's "not referred", with the reason, on a flagged survey response."""

    parser_classes = [BoundedJSONParser]

    @extend_schema(
        operation_id="survey_responses_decline",
        request=DeclineIn,
        responses={200: DecisionOut, **STATUS_DOCS},
    )
    def post(self, request: Request, id: int) -> Response:  # noqa: A002
        response = (
            SurveyResponse.objects.filter(
                pk=id, unit__in=Membership.objects.filter(user=request.user).values("unit")
            )
            .select_related("unit")
            .first()
        )
        if response is None:
            raise NotFound("No such response.")
        payload = DeclineIn(data=request.data)
        payload.is_valid(raise_exception=True)
        review = intake.decline_flagged_response(
            response, actor=request.user, reason=payload.validated_data["reason"]
        )
        body = {"survey_response": response.pk, "decision": review.outcome, "note": review.note}
        return Response(DecisionOut(body).data)


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
        parser_classes = [BoundedJSONParser]

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
    path(
        "survey-responses/<int:id>/decline/",
        DeclineResponseView.as_view(),
        name="api-survey-response-decline",
    ),
] + [
    path(f"cases/<int:id>/{action}/", _action_view(action).as_view(), name=f"api-case-{action}")
    for action, spec in workflow.ACTIONS.items()
    if spec.run is not None  # every action of the table: a missing payload fails here, loudly
]
