"""pulih.lib.compiled: a read the ORM compiles once gives what the QuerySet gives."""

import pytest
from django.db import connections

from pulih.lib.compiled import CompiledRead
from units.models import Unit

MARKER = "\x00code"


def test_the_read_gives_the_querysets_rows_with_the_value_in_the_markers_place(unit):
    other = Unit.objects.create(code="unit-lain", name="Unit Lain", time_zone="Asia/Jayapura")
    fields = ("id", "code", "time_zone", "flag_threshold")
    read = CompiledRead(Unit.objects.values_list(*fields).filter(code=MARKER), MARKER)
    for code in (unit.code, other.code):
        assert read.rows(code) == [list(Unit.objects.values_list(*fields).get(code=code))]
    assert read.rows("nobody") == []
    sql = Unit.objects.values_list(*fields).filter(code=MARKER).query.sql_with_params()[0]
    assert read._compiled(connections[read.db])[0] == sql


def test_a_marker_that_is_not_one_parameter_is_refused(unit):
    read = CompiledRead(Unit.objects.values_list("id").filter(name=MARKER, code=MARKER), MARKER)
    with pytest.raises(ValueError):
        read.rows(unit.code)
