import re

from complaints.tracking import ALPHABET, new_tracking_code, normalise_code


def test_codes_are_ten_crockford_characters_with_a_dash():
    code = new_tracking_code()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", code)
    assert not set("ILOU") & set(ALPHABET)


def test_codes_do_not_repeat():
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000


def test_typed_codes_are_read_leniently():
    assert normalise_code("7k2qf-m9d3x") == "7K2QF-M9D3X"
    assert normalise_code("7K2QFM9D3X") == "7K2QF-M9D3X"
    assert normalise_code(" 7k2qf m9d3x ") == "7K2QF-M9D3X"
    # Crockford: I and L read as 1, O as 0.
    assert normalise_code("IL0OA-AAAAA") == "1100A-AAAAA"


def test_what_cannot_be_a_code_is_refused():
    assert normalise_code("") is None
    assert normalise_code("7K2QF-M9D3") is None
    assert normalise_code("7K2QF-M9D3XX") is None
    assert normalise_code("UUUUU-UUUUU") is None
    assert normalise_code("<script>") is None
