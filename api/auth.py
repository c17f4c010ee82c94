"""Token authentication for integrations: `POST /api/v1/auth/token/` and the person's tokens.

Guarded twice: django-axes counts failures and locks out (it needs the Django request,
not DRF's wrapper, to flag the lockout for its middleware), and the `login` throttle
scope limits the rate of attempts. Tokens are django-rest-knox tokens: see `api.tokens`.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from pulih.lib.ratelimit import ScopedRateThrottle

from .schema import errors
from .tokens import issue_token


class LoginRateThrottle(ScopedRateThrottle):
    """The `login` scope on the shared limiter (rates read from settings at request time)."""


class TokenSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)

    def validate(self, attrs):
        request = self.context.get("request")
        # axes flags a lockout on the request it is given; its middleware reads the
        # Django HttpRequest, so hand that over rather than DRF's Request wrapper.
        django_request = getattr(request, "_request", request)
        user = authenticate(
            request=django_request, username=attrs["username"], password=attrs["password"]
        )
        if not user:
            raise serializers.ValidationError(
                _("Unable to log in with provided credentials."), code="authorization"
            )
        attrs["user"] = user
        return attrs


class TokenView(APIView):
    """POST username and password, get {"token": ...} for `Authorization: Token ...`."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginRateThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=TokenSerializer,
        responses={
            200: inline_serializer(
                "TokenResponse",
                {"token": serializers.CharField(), "expiry": serializers.DateTimeField()},
            ),
            **errors(400, 429),
        },
        description=(
            "Too many failed attempts lock the account and address out (429). The token "
            "is shown once; it lasts the unit's token lifetime (30 days by default) and "
            "stops working on a password change, a deactivation or a lockout."
        ),
    )
    def post(self, request, *args, **kwargs):
        serializer = TokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        row, token = issue_token(serializer.validated_data["user"])
        return Response({"token": token, "expiry": row.expiry})


class TokenOut(serializers.Serializer):
    id = serializers.CharField(source="token_key", help_text="the token's first characters")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField(allow_null=True)
    current = serializers.BooleanField(help_text="the token this request was sent with")


class MyTokensView(APIView):
    """The tokens of the person asking: list them; revoke one with DELETE …/{id}/."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: TokenOut(many=True), **errors(401, 403)})
    def get(self, request):
        current = request.auth if isinstance(request.auth, AuthToken) else None
        rows = (
            AuthToken.objects.filter(user=request.user)
            .exclude(expiry__lt=timezone.now())
            .order_by("-created")
        )
        for row in rows:
            row.current = current is not None and row.digest == current.digest
        return Response(TokenOut(rows, many=True).data)


class MyTokenView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH)],
        responses={204: None, **errors(401, 403, 404)},
    )
    def delete(self, request, id: str):
        # token_key is only a prefix: several rows may share it; revoke them all.
        rows = AuthToken.objects.filter(user=request.user, token_key=id[:25])
        if not rows.exists():
            raise NotFound(_("No such token."))
        rows.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
