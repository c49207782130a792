import pytest
from django.core.exceptions import ValidationError

from companies.validators import credit_code_check_char, validate_credit_code
from tests.factories import make_credit_code

# The standard's worked example and two published codes of well-known companies.
KNOWN_GOOD = ["91350100M000100Y43", "91110000802100433B", "91440300708461136T"]


@pytest.mark.parametrize("code", KNOWN_GOOD)
def test_known_codes_pass(code):
    validate_credit_code(code)


def test_generated_codes_pass():
    for _ in range(200):
        validate_credit_code(make_credit_code())


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("9133070", "18 characters"),
        ("91350100M000100Y4I", "not allowed"),
        ("91350100M000100Y40", "check digit"),
        ("", "18 characters"),
    ],
)
def test_bad_codes_are_refused_with_the_reason(code, fragment, settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ValidationError) as err:
        validate_credit_code(code)
    assert fragment in str(err.value)


def test_check_char_changes_with_body():
    assert credit_code_check_char("91350100M000100Y4") == "3"
