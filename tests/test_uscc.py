"""Tests for the Unified Social Credit Code validator (GB 32100-2015)."""

from __future__ import annotations

import pickle
import string
from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialwork_procurement._errors import InputProblem, ProcurementError
from socialwork_procurement.model._uscc import (
    ORG_TYPE_LEGAL_FORM,
    USCC_ALPHABET,
    InvalidUscc,
    is_valid_uscc,
    legal_form_hint,
    normalize_uscc,
    parse_uscc,
    uscc_check_char,
)
from socialwork_procurement.testing import strategies as swp_st

if TYPE_CHECKING:
    from types import ModuleType

# Restated from the standard rather than imported, so the tests check the module.
ALPHABET = "".join(c for c in string.digits + string.ascii_uppercase if c not in "IOZSV")
EXCLUDED = "IOZSV"
KNOWN_AUTHORITIES = "123456789ANY"

# Real codes from the research catalogue (RULES.md B.6), all valid.
REAL_CODES = (
    "91110000600037341L",
    "91110108551385082Q",
    "91350100M000100Y43",
    "11341700003244799H",
)
# The standard's worked example: "…Y4Z" is wrong, the correct code ends in "3".
WORKED_EXAMPLE = "91350100M000100Y43"


def reference_check_char(first17: str) -> str:
    """GB 32100-2015 as written: W_i = 3^(i-1) mod 31, C18 = 31 - (sum mod 31), 31 -> 0."""
    total = sum(ALPHABET.index(c) * (3 ** (i - 1) % 31) for i, c in enumerate(first17, 1))
    c18 = 31 - total % 31
    return "0" if c18 == 31 else ALPHABET[c18]


def with_check(first17: str) -> str:
    return first17 + reference_check_char(first17)


charset_char = st.sampled_from(ALPHABET)
first17s = st.tuples(
    st.sampled_from(KNOWN_AUTHORITIES),
    charset_char,
    st.text(string.digits, min_size=6, max_size=6),
    st.text(ALPHABET, min_size=9, max_size=9),
).map("".join)
valid_codes = first17s.map(with_check)


@pytest.fixture(scope="module")
def stdnum_uscc() -> ModuleType:
    pytest.importorskip(
        "stdnum", reason="python-stdnum (the 'test' extra) is needed for the cross-check"
    )
    import stdnum.cn.uscc

    return stdnum.cn.uscc


# --- known codes -------------------------------------------------------------


def test_alphabet_is_31_symbols_in_value_order() -> None:
    assert USCC_ALPHABET == ALPHABET
    assert len(ALPHABET) == 31


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code: str) -> None:
    parsed = parse_uscc(code)
    assert parsed.code == code
    assert str(parsed) == code
    assert is_valid_uscc(code)
    assert parsed.warnings == ()


def test_real_code_is_split_into_its_fields() -> None:
    parsed = parse_uscc(WORKED_EXAMPLE)
    assert parsed.registration_authority_code == "9"
    assert parsed.org_type_code == "91"
    assert parsed.admin_division_code == "350100"
    assert parsed.organization_code == "M000100Y4"
    assert parsed.check_char == "3"
    assert parsed.authority_name_zh == "工商"
    assert parsed.org_type_name_zh == "企业"
    assert parsed.legal_form_hint == "enterprise"


def test_worked_example_check_char() -> None:
    assert uscc_check_char(WORKED_EXAMPLE[:17]) == "3"
    assert reference_check_char(WORKED_EXAMPLE[:17]) == "3"


@pytest.mark.parametrize("bad", ["91350100M000100Y4Z", "91350100M000100Y4A"])
def test_worked_example_wrong_check_char_names_expected(bad: str) -> None:
    assert not is_valid_uscc(bad)
    with pytest.raises(InvalidUscc) as info:
        parse_uscc(bad)
    err = info.value
    assert err.code == bad
    assert err.position == 18
    assert "expected '3'" in err.reason
    assert f"got '{bad[-1]}'" in err.reason
    assert "“3”" in err.reason_zh
    assert "expected '3'" in str(err)


def test_uscc_parsed_is_frozen() -> None:
    parsed = parse_uscc(WORKED_EXAMPLE)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        parsed.code = "x"  # type: ignore[misc]


# --- normalisation -----------------------------------------------------------


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) for c in text)


@pytest.mark.parametrize(
    "raw",
    [
        "９１３５０１００Ｍ０００１００Ｙ４３",
        full_width("91350100") + "\u3000" + full_width("M000100Y43"),
        "9135 0100 M000 100Y 43",
        "  91350100M000100Y43\n",
        "\t91350100\tM000100Y43",
        "91350100-M000100Y43",
        "91350100－M000100Y43",  # full-width hyphen-minus
        "91350100\u2013M000100Y43",  # en dash
        "91350100\u2014M000100Y43",  # em dash
        "91350100\u2010M000100Y43",  # hyphen
        "9-1-3-5-0-1-0-0-M-0-0-0-1-0-0-Y-4-3",
        "91350100m000100y43",
        "９１３５０１００ｍ０００１００ｙ４３",
    ],
)
def test_normalised_spellings_parse_to_canonical_code(raw: str) -> None:
    assert normalize_uscc(raw) == WORKED_EXAMPLE
    assert parse_uscc(raw).code == WORKED_EXAMPLE


def test_normalize_does_not_validate() -> None:
    assert normalize_uscc("abc - def") == "ABCDEF"
    assert normalize_uscc("") == ""


@given(
    code=valid_codes,
    data=st.data(),
)
def test_separators_and_case_never_change_the_parse(code: str, data: st.DataObject) -> None:
    separators = st.sampled_from([" ", "-", "\u3000", "\u2014", "\u2013", "－", "\t"])
    pieces: list[str] = []
    for char in code:
        pieces.append(data.draw(st.text(separators, max_size=2)))
        pieces.append(char.lower() if data.draw(st.booleans()) else char)
        if data.draw(st.booleans()):
            pieces[-1] = full_width(pieces[-1])
    raw = "".join(pieces)
    assert parse_uscc(raw).code == code


# --- A-, N- and Y-prefixed codes (why not python-stdnum) ---------------------

NON_DIGIT_PREFIXED = ("N2110000MA0000001", "Y1110000MA0000001", "A1110000MA0000001")


@pytest.mark.parametrize("first17", NON_DIGIT_PREFIXED)
def test_letter_authority_codes_are_valid(first17: str) -> None:
    code = with_check(first17)
    parsed = parse_uscc(code)
    assert parsed.code == code
    assert parsed.registration_authority_code == first17[0]
    assert parsed.authority_name_zh is not None


def test_rural_collective_code_maps_to_its_legal_form() -> None:
    parsed = parse_uscc(with_check("N2110000MA0000001"))
    assert parsed.authority_name_zh == "农业"
    assert parsed.org_type_name_zh == "村级集体经济组织"
    assert parsed.legal_form_hint == "rural_collective_economic_organization"


@pytest.mark.parametrize("first17", NON_DIGIT_PREFIXED)
def test_stdnum_rejects_valid_letter_prefixed_codes(first17: str, stdnum_uscc: ModuleType) -> None:
    # Documents why we do not delegate to python-stdnum: it wants positions 1-8 digits.
    code = with_check(first17)
    assert is_valid_uscc(code)
    assert not stdnum_uscc.is_valid(code)


def test_stdnum_rejects_full_width_input(stdnum_uscc: ModuleType) -> None:
    raw = full_width(WORKED_EXAMPLE)
    assert is_valid_uscc(raw)
    assert not stdnum_uscc.is_valid(raw)


# --- check-character properties ----------------------------------------------


def test_weights_are_distinct_and_non_zero_mod_31() -> None:
    # The premise of the two detection properties below: 3 is a primitive root
    # mod 31, so 3^0 … 3^16 are 17 distinct non-zero residues.
    weights = [3 ** (i - 1) % 31 for i in range(1, 18)]
    assert len(set(weights)) == 17
    assert 0 not in weights


@given(first17s)
def test_appending_the_check_char_gives_a_valid_code(first17: str) -> None:
    check = uscc_check_char(first17)
    assert check == reference_check_char(first17)
    assert is_valid_uscc(first17 + check)


@given(code=valid_codes, position=st.integers(0, 17), replacement=charset_char)
def test_any_single_substitution_is_detected(code: str, position: int, replacement: str) -> None:
    # Changing C_i by d != 0 (mod 31) changes the sum by d * W_i != 0 (mod 31).
    if code[position] == replacement:
        replacement = ALPHABET[(ALPHABET.index(replacement) + 1) % 31]
    changed = code[:position] + replacement + code[position + 1 :]
    assert not is_valid_uscc(changed)


@given(code=valid_codes, i=st.integers(0, 16), j=st.integers(0, 16))
def test_any_transposition_within_first_17_is_detected(code: str, i: int, j: int) -> None:
    # Swapping a != b at positions i, j changes the sum by (a - b)(W_i - W_j) != 0
    # (mod 31), because the weights are distinct. Swaps with the check character
    # itself are not guaranteed to be caught, so they are not asserted.
    if code[i] == code[j]:
        return
    chars = list(code)
    chars[i], chars[j] = chars[j], chars[i]
    assert not is_valid_uscc("".join(chars))


@given(
    head=st.text(string.digits, min_size=8, max_size=8),
    body=st.text(ALPHABET, min_size=9, max_size=9),
    check=charset_char,
)
def test_agrees_with_stdnum_on_digit_prefixed_codes(
    head: str, body: str, check: str, stdnum_uscc: ModuleType
) -> None:
    first17 = head + body
    assert uscc_check_char(first17) == stdnum_uscc.calc_check_digit(first17)
    code = first17 + check
    assert is_valid_uscc(code) == stdnum_uscc.is_valid(code)


def test_stdnum_agrees_on_real_codes(stdnum_uscc: ModuleType) -> None:
    for code in REAL_CODES:
        assert stdnum_uscc.is_valid(code)


# --- structural errors -------------------------------------------------------


@pytest.mark.parametrize("letter", list(EXCLUDED))
def test_excluded_letters_are_rejected_with_position(letter: str) -> None:
    for position in range(1, 18):
        raw = WORKED_EXAMPLE[: position - 1] + letter + WORKED_EXAMPLE[position:]
        with pytest.raises(InvalidUscc) as info:
            parse_uscc(raw)
        assert info.value.position == position
        assert f"position {position}" in info.value.reason
        assert repr(letter) in info.value.reason
        assert f"第{position}位" in info.value.reason_zh
    # In position 18 the error is the wrong check character, naming the right one.
    with pytest.raises(InvalidUscc) as info:
        parse_uscc(WORKED_EXAMPLE[:17] + letter)
    assert info.value.position == 18
    assert "expected '3'" in info.value.reason


@pytest.mark.parametrize("char", ["*", "#", "中", "_", "é"])
def test_other_foreign_characters_are_rejected(char: str) -> None:
    raw = WORKED_EXAMPLE[:9] + char + WORKED_EXAMPLE[10:]
    with pytest.raises(InvalidUscc) as info:
        parse_uscc(raw)
    assert info.value.position == 10


@pytest.mark.parametrize(
    "raw", ["", "9", WORKED_EXAMPLE[:17], WORKED_EXAMPLE + "0", WORKED_EXAMPLE * 2]
)
def test_wrong_length_is_named(raw: str) -> None:
    with pytest.raises(InvalidUscc) as info:
        parse_uscc(raw)
    assert "expected 18" in info.value.reason
    assert f"got {len(raw)}" in info.value.reason
    assert info.value.position is None
    assert not is_valid_uscc(raw)


@pytest.mark.parametrize("position", range(3, 9))
def test_admin_division_must_be_digits(position: int) -> None:
    first17 = WORKED_EXAMPLE[: position - 1] + "A" + WORKED_EXAMPLE[position:17]
    code = with_check(first17)  # correct check char: only the division is wrong
    with pytest.raises(InvalidUscc) as info:
        parse_uscc(code)
    assert info.value.position == position
    assert "admin-division" in info.value.reason
    assert f"position {position}" in info.value.reason


def test_uscc_check_char_rejects_bad_input() -> None:
    with pytest.raises(InvalidUscc, match="expected 17"):
        uscc_check_char(WORKED_EXAMPLE)
    with pytest.raises(InvalidUscc) as info:
        uscc_check_char("91350100M000100O4")
    assert info.value.position == 16


# --- warnings, not errors ----------------------------------------------------


def test_unknown_type_code_is_valid_with_warning() -> None:
    code = with_check("54110000MA0000001")
    parsed = parse_uscc(code)
    assert is_valid_uscc(code)
    assert parsed.authority_name_zh == "民政"
    assert parsed.org_type_name_zh is None
    assert parsed.legal_form_hint is None
    assert any("'54'" in w and "type code" in w for w in parsed.warnings)


def test_type_under_authority_without_verified_table_warns() -> None:
    parsed = parse_uscc(with_check("31110000MA0000001"))
    assert parsed.authority_name_zh == "司法行政"
    assert parsed.org_type_name_zh is None
    assert any("no verified type table" in w for w in parsed.warnings)


def test_unknown_authority_is_valid_with_warning() -> None:
    parsed = parse_uscc(with_check("B1110000MA0000001"))
    assert parsed.authority_name_zh is None
    assert any("authority code 'B'" in w for w in parsed.warnings)


def test_gb11714_inner_check_mismatch_is_only_a_warning() -> None:
    # Real code with the organisation code's own check (position 17) changed.
    first17 = WORKED_EXAMPLE[:16] + "5"
    parsed = parse_uscc(with_check(first17))
    assert any("GB 11714" in w for w in parsed.warnings)


# --- legal form --------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_code", "legal_form"),
    [
        ("51", "social_group"),
        ("52", "private_non_enterprise_unit"),
        ("53", "foundation"),
        ("91", "enterprise"),
        ("12", "public_institution"),
        ("N1", "rural_collective_economic_organization"),
        ("N2", "rural_collective_economic_organization"),
        ("N3", "rural_collective_economic_organization"),
        ("11", "state_organ"),
        ("13", "mass_organization"),
        ("92", "individual_business"),
        ("93", "farmers_cooperative"),
    ],
)
def test_legal_form_hint_for_type_codes(type_code: str, legal_form: str) -> None:
    assert ORG_TYPE_LEGAL_FORM[type_code] == legal_form
    assert legal_form_hint(type_code) == legal_form
    code = with_check(type_code + "110000MA0000001")
    assert legal_form_hint(code) == legal_form
    assert parse_uscc(code).legal_form_hint == legal_form


@pytest.mark.parametrize("type_code", ["19", "59", "N9", "Y1", "54"])
def test_other_and_unknown_types_have_no_legal_form(type_code: str) -> None:
    assert legal_form_hint(type_code) is None


def test_legal_form_hint_rejects_invalid_code() -> None:
    with pytest.raises(InvalidUscc):
        legal_form_hint("91350100M000100Y4A")


def test_legal_form_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        ORG_TYPE_LEGAL_FORM["54"] = "x"  # type: ignore[index]


# --- the error type ----------------------------------------------------------


def test_invalid_uscc_error_type() -> None:
    with pytest.raises(InvalidUscc) as info:
        parse_uscc(" 91350100-m000100y4a ")
    err = info.value
    assert isinstance(err, ProcurementError)
    assert isinstance(err, ValueError)
    assert err.code == "91350100M000100Y4A"  # the normalised input
    again = pickle.loads(pickle.dumps(err))
    assert (again.code, again.reason, again.reason_zh, again.position) == (
        err.code,
        err.reason,
        err.reason_zh,
        err.position,
    )
    assert str(again) == str(err)
    problem = err.as_input_problem("$.contractor.uscc")
    assert problem == InputProblem(path="$.contractor.uscc", message=str(err))


_USCC_LIKE = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXYIOZSV -", min_size=16, max_size=20)


@given(st.one_of(st.text(max_size=24), _USCC_LIKE, swp_st.uscc_codes()))
def test_the_models_check_is_parse_uscc_without_the_object(raw: str) -> None:
    # The model's validator (issue 10) must accept and refuse exactly what parse_uscc does.
    from socialwork_procurement.model._uscc import check_normalized_uscc

    code = normalize_uscc(raw)
    assert _refusal(parse_uscc, code) == _refusal(check_normalized_uscc, code)


def _refusal(check: Callable[[str], object], code: str) -> tuple[str, str, int | None] | None:
    try:
        check(code)
    except InvalidUscc as exc:
        return (str(exc), exc.reason_zh, exc.position)
    return None
