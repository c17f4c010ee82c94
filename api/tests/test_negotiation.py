"""api.conventions.Negotiation answers every request as DRF's own negotiation does (it only
skips parsing when nothing is asked for)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from api.conventions import Negotiation

MEDIA = st.sampled_from(
    [
        "*/*",
        " */* ",
        "",
        "application/json",
        "text/html",
        "application/xml",
        "*/*;q=0.5",
        "application/json; indent=4",
        "text/*",
        "*/*, text/html",
    ]
)
QUERY = st.sampled_from(["", "format=json", "format=api", "format=xml", "x=1"])
RENDERERS = [
    [JSONRenderer(), BrowsableAPIRenderer()],
    [BrowsableAPIRenderer(), JSONRenderer()],
    [JSONRenderer()],
]


def _answer(negotiation, request, renderers, suffix):
    try:
        renderer, media_type = negotiation.select_renderer(request, renderers, suffix)
    except NotAcceptable:
        return "406"
    except Exception as exc:  # Http404 for a format no renderer has
        return type(exc).__name__
    return type(renderer).__name__, media_type


@settings(max_examples=200, deadline=None)
@given(
    accept=st.none() | MEDIA,
    query=QUERY,
    suffix=st.sampled_from([None, "json", "api"]),
    renderers=st.sampled_from(RENDERERS),
)
def test_the_negotiation_answers_as_drfs(accept, query, suffix, renderers):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    raw = APIRequestFactory().post("/api/v1/surveys/x/" + (f"?{query}" if query else ""), **headers)
    ours = _answer(Negotiation(), Request(raw), renderers, suffix)
    theirs = _answer(DefaultContentNegotiation(), Request(raw), renderers, suffix)
    assert ours == theirs


@pytest.mark.parametrize("accept", [None, "*/*"])
def test_a_request_asking_nothing_gets_the_first_renderer(accept):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().post("/api/v1/surveys/x/", **headers))
    renderer, media_type = Negotiation().select_renderer(request, RENDERERS[1])
    assert isinstance(renderer, BrowsableAPIRenderer) and media_type == "text/html"
