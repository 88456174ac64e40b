from datetime import date

import pytest

from spacrm.core.ids import format_phone, normalize_citizen_id, normalize_phone, normalize_tax_code
from spacrm.core.textnorm import fold


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("+84 908 111 222", "0908111222"),
        ("0084908111222", "0908111222"),
        ("84912345678", "0912345678"),
        ("01689123456", "0389123456"),  # Viettel 0168 -> 038
        ("0121 234 5678", "0792345678"),  # MobiFone 0121 -> 079
        ("(028) 3812 3456", "02838123456"),  # HCM landline
        ("0912 34", None),
        ("0123", None),
        ("abc", None),
        ("0012345678", None),
    ],
)
def test_phone_normalisation(raw: str, expected: str | None) -> None:
    assert normalize_phone(raw) == expected


def test_phone_display() -> None:
    assert format_phone("0912345678") == "0912 345 678"


@pytest.mark.parametrize(
    "code", ["0100233488", "0314409058", "0101245486", "0100109106", "0315458241"]
)
def test_real_tax_codes_pass_the_check_digit(code: str) -> None:
    assert normalize_tax_code(code) == code


def test_tax_code_rules() -> None:
    assert normalize_tax_code("0100233489") is None  # wrong check digit
    assert normalize_tax_code("0314409058-002") == "0314409058-002"
    assert normalize_tax_code("0314409058000") is None  # suffix 000
    assert normalize_tax_code("12345") is None


def test_citizen_id() -> None:
    assert normalize_citizen_id("079190001234", today=date(2026, 11, 25)) == "079190001234"
    assert normalize_citizen_id("999190001234") is None  # unknown province
    assert normalize_citizen_id("079299001234", today=date(2026, 11, 25)) is None  # born 2099
    assert normalize_citizen_id("07919000123") is None


def test_fold() -> None:
    assert fold("Đặng Thị Hoà Thuỷ") == "dang thi hoa thuy"
    assert fold("Nguyễn  Thị   Lan") == "nguyen thi lan"
    # NFD input (macOS) folds the same as NFC
    import unicodedata

    assert fold(unicodedata.normalize("NFD", "Hương")) == "huong"
