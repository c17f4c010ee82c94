"""pulih.lib.bulk.insert_one stores what `save(force_insert=True)` stores."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.forms.models import model_to_dict

from pulih.lib.bulk import insert_one, insert_prepared, prepare_values
from surveys.models import ServiceRecord, SurveyResponse
from surveys.services import new_response

MOMENT = datetime.datetime(2026, 3, 2, 9, 30, 15, 250000, tzinfo=datetime.UTC)


def _response(unit, service_type, officer, record=None, **extra):
    return new_response(
        unit,
        {"U1": 2, "U2": 4, "U5": 3},
        submitted_at=MOMENT,
        comment="Petugas kurang ramah.",
        service_type_id=service_type.pk,
        officer_id=officer.pk,
        service_record=record,
        profile={"sex": "P"},
        **extra,
    )


def _stored(pk):
    response = SurveyResponse.objects.get(pk=pk)
    return {k: v for k, v in model_to_dict(response).items() if k != "id"}


def test_the_row_and_its_key_are_those_save_gives(unit, service_type, people):
    officer = people["officer"]
    saved = _response(unit, service_type, officer)
    saved.save(force_insert=True)
    inserted = _response(unit, service_type, officer)
    insert_one(inserted)
    assert inserted.pk is not None and inserted.pk != saved.pk
    assert not inserted._state.adding and inserted._state.db == "default"
    assert _stored(inserted.pk) == _stored(saved.pk)
    stored = SurveyResponse.objects.get(pk=inserted.pk)
    assert stored.submitted_at == MOMENT
    assert (stored.u1, stored.u3, stored.flagged, stored.sex) == (2, None, True, "P")


def test_a_second_answer_to_one_service_record_is_refused_and_nothing_stored(
    unit, service_type, people
):
    officer = people["officer"]
    record = ServiceRecord.objects.create(
        unit=unit, service_type=service_type, officer=officer, served_at=MOMENT
    )
    insert_one(_response(unit, service_type, officer, record))
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_one(_response(unit, service_type, officer, record))
    assert SurveyResponse.objects.filter(service_record=record).count() == 1


def test_prepared_rows_store_what_save_stores_and_preparing_asks_the_database_nothing(
    unit, service_type, people, django_assert_num_queries
):
    """`prepare_values` (the import's reading thread) does all but the database's work; what
    `insert_prepared` then stores (on PostgreSQL, its COPY stream as written) is the row
    `save` stores, with texts that COPY's text format would have to escape."""
    officer = people["officer"]
    comments = ["Petugas\tkurang\nramah \\ lambat", "ＰＥＬＡＹＡＮＡＮ 🙂", ""]
    saved, prepared_rows = [], []
    for comment in comments:
        response = _response(unit, service_type, officer)
        response.comment = comment
        response.save(force_insert=True)
        saved.append(_stored(response.pk))
        twin = _response(unit, service_type, officer)
        twin.comment = comment
        prepared_rows.append([getattr(twin, f.attname) for f in SurveyResponse._meta.fields])
    before = set(SurveyResponse.objects.values_list("pk", flat=True))
    with django_assert_num_queries(0):
        prepared = prepare_values(SurveyResponse, prepared_rows)
    assert prepared.count == len(comments)
    insert_prepared(prepared)
    inserted = SurveyResponse.objects.exclude(pk__in=before).order_by("pk")
    assert [_stored(r.pk) for r in inserted] == saved


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL: keys declared checked at the commit"
)
def test_a_prepared_row_that_refers_to_nothing_is_refused_as_it_is_inserted(
    unit, service_type, people
):
    """The batch's foreign keys are checked as it is inserted, not at the commit that
    Django declares them for: the import learns of a bad batch while it stores it."""
    response = _response(unit, service_type, people["officer"])
    row = [getattr(response, f.attname) for f in SurveyResponse._meta.fields]
    row[[f.attname for f in SurveyResponse._meta.fields].index("unit_id")] = unit.pk + 1000
    prepared = prepare_values(SurveyResponse, [row])
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_prepared(prepared)
    assert not SurveyResponse.objects.exists()
