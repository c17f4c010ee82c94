from django.core.management import call_command

from units import standard
from units.models import (
    CompensationKind,
    ComplaintChannel,
    DeadlineRule,
    LegalBasis,
    SanctionKind,
    Unit,
    Violation,
)


def test_it_loads_the_document_as_stated(db):
    call_command("load_standard")
    unit = Unit.objects.get(code="bpmp-kalteng")
    assert unit.standard_decree_number == "0179/C7.22/OT.02.02/2023"
    assert unit.head_nip == "197010192002121002"
    assert Violation.objects.filter(unit=unit).count() == 13
    assert CompensationKind.objects.filter(unit=unit).count() == 3
    assert ComplaintChannel.objects.filter(unit=unit).count() == 6
    assert LegalBasis.objects.filter(unit=unit).count() == 12
    assert SanctionKind.objects.filter(unit=unit).count() == 9
    v5 = Violation.objects.get(unit=unit, code="v05")
    assert v5.text.startswith("Melakukan pungutan tidak sah")
    phone = ComplaintChannel.objects.get(unit=unit, code="phone")
    assert phone.contact == "08115234400"
    last_law = LegalBasis.objects.get(unit=unit, code="dh12")
    assert "6812/C/OT.02.00/2022" in last_law.text
    assert not last_law.text.startswith("1.")


def test_deadline_defaults_follow_the_standard(unit):
    decree = DeadlineRule.objects.get(unit=unit, code="decree")
    assert (decree.length, decree.day_kind) == (7, "calendar")
    compensation = DeadlineRule.objects.get(unit=unit, code="compensation")
    assert (compensation.length, compensation.day_kind) == (1, "working")
    assert unit.officer_elements == ["U3", "U6", "U7"]
    assert unit.flag_threshold == 2


def test_running_it_twice_changes_nothing(db):
    call_command("load_standard")
    counts = {m.__name__: m.objects.count() for m in [Violation, LegalBasis, ComplaintChannel]}
    history = Violation.history.count()
    call_command("load_standard")
    assert counts == {
        m.__name__: m.objects.count() for m in [Violation, LegalBasis, ComplaintChannel]
    }
    assert Violation.history.count() == history


def test_it_keeps_what_the_admin_edited(unit):
    Violation.objects.filter(unit=unit, code="v01").update(text="Edited by the unit")
    standard.load_standard()
    assert Violation.objects.get(unit=unit, code="v01").text == "Edited by the unit"
