"""surveys/demo.py: a few months of believable activity, once."""

from __future__ import annotations

import random

from cases.models import Case
from surveys.demo import populate
from surveys.models import DailyCheck, ServiceRecord, SurveyResponse
from units.demo import create_staff


def test_demo_creates_months_of_answers_about_8_percent_flagged(unit):
    staff = create_staff(unit, "x")
    summary = populate(unit, staff, random.Random(1), 4)
    responses = SurveyResponse.objects.filter(unit=unit)
    assert ServiceRecord.objects.count() > 150
    assert responses.count() > 150
    share = responses.filter(flagged=True).count() / responses.count()
    assert 0.03 < share < 0.15
    assert not Case.objects.filter(survey_response__isnull=False).exists()  # flagged only
    assert DailyCheck.objects.count() > 50
    assert "daily checks (2 days missed)" in summary
    assert populate(unit, staff, random.Random(1), 4) == ""  # idempotent
    assert SurveyResponse.objects.count() == responses.count()
