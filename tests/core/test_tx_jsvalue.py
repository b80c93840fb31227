"""JavaScript value semantics used to read requests exactly as the official libraries do (expected values
were printed by Node 20 / long.js)."""

from __future__ import annotations

import math

import pytest

from app.tx import jsvalue as js


@pytest.mark.parametrize("x,text", [
    (0.0, "0"), (-0.0, "0"), (1.0, "1"), (1.5, "1.5"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
    (123456789012345680000.0, "123456789012345680000"), (0.000001, "0.000001"), (1e-7, "1e-7"),
    (2.0**53 + 2, "9007199254740994"), (-3.25, "-3.25"), (5e-324, "5e-324"),
    (1.7976931348623157e308, "1.7976931348623157e+308"), (math.nan, "NaN"), (math.inf, "Infinity"),
])
def test_number_to_string(x: float, text: str) -> None:
    assert js.number_to_string(x) == text


@pytest.mark.parametrize("s,value", [
    ("", 0.0), (" 12 ", 12.0), ("0x10", 16.0), ("0b101", 5.0), ("0o17", 15.0), ("1e3", 1000.0), (".5", 0.5),
    ("5.", 5.0), ("+.5", 0.5), ("Infinity", math.inf), ("-Infinity", -math.inf), ("\u00a07\u00a0", 7.0),
])
def test_string_to_number(s: str, value: float) -> None:
    assert js.string_to_number(s) == value


@pytest.mark.parametrize("s", ["abc", "-0x10", "1_000", "0x", "1e"])
def test_string_to_number_nan(s: str) -> None:
    assert math.isnan(js.string_to_number(s))


@pytest.mark.parametrize("s,value", [
    ("12345678901234567890", -6101065172474983726), ("9223372036854775808", -9223372036854775808), ("-1", -1),
    ("007", 7), ("1.5", 1), ("12ab5678", 12), (" 42", 42), ("abc", 0), ("18446744073709551615", -1),
])
def test_long_from_string(s: str, value: int) -> None:
    assert js.long_from_string(s) == value


@pytest.mark.parametrize("x,value", [(1.5, 1), (-2.7, -2), (1e19, 2**63 - 1), (-1e19, -(2**63)), (math.nan, 0)])
def test_long_from_number(x: float, value: int) -> None:
    assert js.long_from_number(x) == value


def test_long_from_empty_string_throws() -> None:
    with pytest.raises(js.JSError):
        js.long_from_string("")


@pytest.mark.parametrize("s,hexed", [("aGVsbG8", "68656c6c6f"), ("a-_b", "6befdb"), ("!!aGVsbG8", "68656c6c6f"),
                                     ("aG=Vs", "68"), ("aGV sbG8=", "68656c6c6f")])
def test_buffer_base64_is_lenient(s: str, hexed: str) -> None:
    assert js.buffer_from_base64(s).hex() == hexed


@pytest.mark.parametrize("s", ["a", "a-_b", "aG=Vs", "YQ=", "aGVsbG8=="])
def test_atob_is_strict(s: str) -> None:
    with pytest.raises(js.JSError):
        js.atob(s)


def test_atob_accepts_whitespace_and_missing_padding() -> None:
    assert js.atob("aGV sbG8") == b"hello" and js.atob("YR==") == b"a"


@pytest.mark.parametrize("s,value", [("42", 42), (" 42 ", 42), ("0x1f", 31), ("+7", 7), ("-5", -5), ("", 0)])
def test_bigint(s: str, value: int) -> None:
    assert js.string_to_bigint(s) == value


@pytest.mark.parametrize("v", ["1e3", "1.5", "abc", True, 3.7, {}])
def test_bigint_throws(v) -> None:
    with pytest.raises(js.JSError):
        js.bigint_of(v)


def test_loads_makes_every_number_a_double() -> None:
    data = js.loads('{"a": 12345678901234567890, "b": 1, "c": [1.0]}')
    assert data == {"a": 1.2345678901234567e19, "b": 1.0, "c": [1.0]} and isinstance(data["b"], float)
    with pytest.raises(ValueError):
        js.loads('{"a": NaN}')


def test_date_parse() -> None:
    assert js.date_parse_ms("2026-01-01T00:00:00Z") == 1767225600000.0
    assert js.date_parse_ms("2024-02-29T12:00:00.5+02:00") == 1709200800500.0
    assert math.isnan(js.date_parse_ms("2023-02-29"))
    assert math.isnan(js.date_parse_ms("next tuesday"))
