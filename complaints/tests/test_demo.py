import random

from cases.models import Case
from complaints.demo import populate
from complaints.models import Complaint, ComplaintKind, ComplaintStatus
from surveys.models import ImprovementItem
from units.demo import create_staff
from units.models import ComplaintChannel


def test_demo_covers_every_channel_and_kind_and_is_idempotent(unit):
    staff = create_staff(unit, "x")
    summary = populate(unit, staff, random.Random(1), 4)
    assert "40 complaints" in summary
    complaints = Complaint.objects.filter(unit=unit)
    assert complaints.count() == 40
    channels = set(ComplaintChannel.objects.filter(unit=unit).values_list("code", flat=True))
    assert set(complaints.values_list("channel__code", flat=True)) == channels
    assert set(complaints.values_list("kind", flat=True)) == set(ComplaintKind.values)
    answered = complaints.filter(status=ComplaintStatus.ANSWERED).count()
    assert answered > 30
    assert complaints.overdue().exists()
    assert complaints.exclude(status=ComplaintStatus.ANSWERED).count() >= 3
    assert not Case.objects.exists() and not ImprovementItem.objects.exists()  # cases demo's
    assert all(c.events.exists() for c in complaints)
    populate(unit, staff, random.Random(1), 4)
    assert Complaint.objects.filter(unit=unit).count() == 40
