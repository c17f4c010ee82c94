"""The survey endpoint's fast path for plain bodies (api.surveys.plain_survey_body) returns
exactly what its serializer (SurveyIn) would, and leaves everything else to the serializer."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from api.surveys import SurveyIn, plain_survey_body

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=5,
)
ODD_TEXT = st.sampled_from([" a\x00", "\ud800", " " * 4001 + "x", "y" * 4001, "  ", ""])
BODIES = st.dictionaries(
    st.sampled_from(["answers", "comment", "other"]),
    st.one_of(JSON, st.dictionaries(st.text(max_size=3), JSON, max_size=4), st.text(), ODD_TEXT),
    max_size=3,
)
PLAIN = st.fixed_dictionaries(
    {
        "answers": st.dictionaries(
            st.sampled_from(["U1", "U2", "u3", "X9"]),
            st.one_of(st.integers(-5, 9), st.text(max_size=3)),
            max_size=4,
        )
    },
    optional={"comment": st.text(alphabet=st.characters(blacklist_categories=["Cs"]))},
)


def _serialized(body: dict) -> dict:
    data = SurveyIn(data=body)
    assert data.is_valid(), data.errors
    return {"comment": "", **data.validated_data}


@settings(max_examples=300, deadline=None)
@given(BODIES)
def test_the_fast_path_agrees_with_the_serializer(body):
    fast = plain_survey_body(body)
    if fast is not None:
        assert fast == _serialized(body)


@settings(max_examples=200, deadline=None)
@given(PLAIN)
def test_plain_bodies_take_the_fast_path(body):
    if "\x00" in body.get("comment", ""):
        assert plain_survey_body(body) is None
    else:
        assert plain_survey_body(body) == _serialized(body)
