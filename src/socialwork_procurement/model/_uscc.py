"""Unified Social Credit Code (统一社会信用代码, USCC) per GB 32100-2015.

Every legal person and other organisation in China (companies, 社会团体, 民办非企业单位,
基金会, 事业单位, 机关, 农村集体经济组织 …) carries one 18-character USCC.
Procurement documents quote it for every bidder and contractor, so we validate it
at the edge instead of trusting a typed-in string.

Why our own validator and not ``python-stdnum``: ``stdnum.cn.uscc`` computes the
right mod-31 check character, but it requires positions 1-8 to be digits and so
rejects valid codes whose registration authority is ``A`` (中央军委改革和编制办公室),
``N`` (农业, e.g. 农村集体经济组织) or ``Y`` (其他); it also does no NFKC
normalisation, so full-width input (``９１３５…``) fails. See ``docs/uscc.md``.

Layout (GB 32100-2015, clause 4)::

    position  1     registration authority code (登记管理部门代码)
    position  2     organisation type code (机构类别代码); 1-2 together, e.g. "51"
    positions 3-8   admin-division code of the registering authority (GB/T 2260)
    positions 9-17  organisation code (主体标识码, GB 11714)
    position  18    check character (校验码)

What is an error and what is only a warning:

* errors (:class:`InvalidUscc`): wrong length, a character outside the 31-symbol
  set, non-digits in positions 3-8, a wrong check character;
* warnings (:attr:`Uscc.warnings`): an authority or type code missing from the
  table below, and a mismatch of the GB 11714 inner check on positions 9-17.
  Those tables come from secondary sources (the standard's own table was not
  read) and some real codes - e.g. for village committees - are not in them, so
  rejecting on them would turn away real organisations.

The public-institution category (公益一类/二类) is *not* encoded in the USCC:
``12`` covers every 事业单位, so callers must declare that category separately.
"""

from __future__ import annotations

import types
import unicodedata
from typing import TYPE_CHECKING, Final

import attrs

from .._errors import InputProblem, ProcurementError

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "ORG_TYPE_LEGAL_FORM",
    "ORG_TYPE_NAMES",
    "USCC_ALPHABET",
    "USCC_LENGTH",
    "InvalidUscc",
    "Uscc",
    "check_normalized_uscc",
    "is_valid_uscc",
    "legal_form_hint",
    "normalize_uscc",
    "parse_uscc",
    "uscc_check_char",
]

USCC_LENGTH: Final = 18

#: The 31 code symbols in value order 0-30 (GB 32100-2015, 4.2): digits, then the
#: capital letters without I, O, Z, S and V, which are too easily misread.
USCC_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"

_VALUE: Final[Mapping[str, int]] = types.MappingProxyType(
    {char: value for value, char in enumerate(USCC_ALPHABET)}
)

#: Check weights W_i = 3**(i-1) mod 31 for positions 1-17 (GB 32100-2015, 5.2).
#: 3 is a primitive root mod 31, so the 17 weights are distinct and non-zero:
#: every single substitution and every transposition within positions 1-17 is caught.
_WEIGHTS: Final = tuple(pow(3, i, 31) for i in range(USCC_LENGTH - 1))

#: Never-used letters; named in error messages because they are the usual typo.
_EXCLUDED_LETTERS: Final = "IOZSV"

# Hyphen-like characters that NFKC leaves alone (it already maps U+FF0D to "-").
_DASHES: Final = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b")

#: Registration authority codes (登记管理部门代码), position 1.
_AUTHORITY_NAMES_ZH: Final[Mapping[str, str]] = types.MappingProxyType(
    {
        "1": "机构编制",
        "2": "外交",
        "3": "司法行政",
        "4": "文化",
        "5": "民政",
        "6": "旅游",
        "7": "宗教",
        "8": "工会",
        "9": "工商",  # now 市场监督管理
        "A": "中央军委改革和编制办公室",
        "N": "农业",
        "Y": "其他",
    }
)

#: Organisation type codes (机构类别代码), positions 1-2. Only the authorities the
#: project's research catalogue verified (1, 5, 9, N, Y) have entries; a type
#: under any other authority is reported as a warning, never an error.
_ORG_TYPE_NAMES_ZH: Final[Mapping[str, str]] = types.MappingProxyType(
    {
        "11": "机关",
        "12": "事业单位",
        "13": "编办直接管理机构编制的群众团体",
        "19": "其他",
        "51": "社会团体",
        "52": "民办非企业单位",
        "53": "基金会",
        "59": "其他",
        "91": "企业",
        "92": "个体工商户",
        "93": "农民专业合作社",
        "N1": "组级集体经济组织",
        "N2": "村级集体经济组织",
        "N3": "乡镇级集体经济组织",
        "N9": "其他",
        "Y1": "其他",
    }
)

_AUTHORITIES_WITH_TYPE_TABLE: Final = frozenset(code[0] for code in _ORG_TYPE_NAMES_ZH)

#: Org type code (positions 1-2) -> the legal-form identifier used elsewhere in
#: this library. "Other" codes (19, 59, N9, Y1) have no entry on purpose: they
#: say nothing about the legal form.
ORG_TYPE_LEGAL_FORM: Final[Mapping[str, str]] = types.MappingProxyType(
    {
        "11": "state_organ",
        "12": "public_institution",
        "13": "mass_organization",
        "51": "social_group",
        "52": "private_non_enterprise_unit",
        "53": "foundation",
        "91": "enterprise",
        "92": "individual_business",
        "93": "farmers_cooperative",
        "N1": "rural_collective_economic_organization",
        "N2": "rural_collective_economic_organization",
        "N3": "rural_collective_economic_organization",
    }
)

ORG_TYPE_NAMES: Final[Mapping[str, tuple[str, str]]] = types.MappingProxyType(
    {
        "state_organ": ("机关", "state organ"),
        "public_institution": ("事业单位", "public institution"),
        "mass_organization": ("群团组织", "mass organisation"),
        "social_group": ("社会团体", "social group"),
        "private_non_enterprise_unit": ("民办非企业单位", "private non-enterprise unit"),
        "foundation": ("基金会", "foundation"),
        "enterprise": ("企业", "enterprise"),
        "individual_business": ("个体工商户", "individual business"),
        "farmers_cooperative": ("农民专业合作社", "farmers' cooperative"),
        "rural_collective_economic_organization": ("农村集体经济组织", "rural collective economic organisation"),
    }
)
"""The Chinese and English names of each kind of body :data:`ORG_TYPE_LEGAL_FORM` points to."""

# GB 11714 organisation-code check on positions 9-17 (weights for its chars 1-8).
_GB11714_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)


class InvalidUscc(ProcurementError, ValueError):
    """A string that is not a valid USCC.

    ``code`` is the normalised input, ``reason``/``reason_zh`` say what is wrong
    in English and Chinese, ``position`` is the 1-based character position at
    fault (``None`` when the whole string is, e.g. a wrong length).
    """

    def __init__(self, code: str, reason: str, reason_zh: str, position: int | None = None) -> None:
        self.code = code
        self.reason = reason
        self.reason_zh = reason_zh
        self.position = position
        super().__init__(f"invalid USCC {code!r}: {reason}")

    def __reduce__(self) -> tuple[type[InvalidUscc], tuple[str, str, str, int | None]]:
        # Exceptions pickle via ``args`` (just the message); keep every field.
        return (type(self), (self.code, self.reason, self.reason_zh, self.position))

    def as_input_problem(self, path: str) -> InputProblem:
        """This error as one :class:`InputProblem` at ``path``, for :class:`InvalidInput`."""
        return InputProblem(path=path, message=f"invalid USCC {self.code!r}: {self.reason}")


@attrs.frozen
class Uscc:
    """A parsed, valid USCC. Build it with :func:`parse_uscc`.

    ``warnings`` lists doubts that do not make the code invalid (unknown authority
    or type code, GB 11714 inner-check mismatch); see the module docstring.
    """

    code: str
    registration_authority_code: str
    org_type_code: str
    admin_division_code: str
    organization_code: str
    check_char: str
    authority_name_zh: str | None
    org_type_name_zh: str | None
    legal_form_hint: str | None
    warnings: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.code


def normalize_uscc(raw: str) -> str:
    """Canonical spelling of ``raw``; does not validate.

    NFKC first, so full-width input typed with a Chinese IME (``９１３５…``,
    ideographic spaces, ``－``) becomes ASCII; then drop all whitespace and
    hyphen/dash characters (people write ``91350100-M000100Y43``), then upper-case.
    """
    text = unicodedata.normalize("NFKC", raw)
    kept = "".join(ch for ch in text if not ch.isspace() and ch not in _DASHES)
    return kept.upper()


def _bad_char_error(code: str, index: int) -> InvalidUscc:
    char = code[index]
    position = index + 1
    if char in _EXCLUDED_LETTERS:
        why = f"the letters {', '.join(_EXCLUDED_LETTERS)} are never used in a USCC"
        why_zh = f"统一社会信用代码不使用字母{'、'.join(_EXCLUDED_LETTERS)}"
    else:
        why = f"allowed are {USCC_ALPHABET}"
        why_zh = f"允许的字符为{USCC_ALPHABET}"
    return InvalidUscc(
        code,
        f"character {char!r} at position {position} is not allowed ({why})",
        f"第{position}位字符“{char}”不合法（{why_zh}）",
        position=position,
    )


def _check_char(first17: str) -> str:
    total = sum(_VALUE[char] * weight for char, weight in zip(first17, _WEIGHTS, strict=True))
    # C18 = 31 - (sum mod 31), and 31 itself is written "0": i.e. (-sum) mod 31.
    return USCC_ALPHABET[-total % 31]


def uscc_check_char(first17: str) -> str:
    """The check character (position 18) for the first 17 characters of a USCC.

    ``first17`` is used as given (not normalised). Raises :class:`InvalidUscc` if
    it is not 17 characters from :data:`USCC_ALPHABET` (GB 32100-2015, 5.2).
    """
    if len(first17) != USCC_LENGTH - 1:
        raise InvalidUscc(
            first17,
            f"expected {USCC_LENGTH - 1} characters before the check character, got {len(first17)}",
            f"校验码前应为{USCC_LENGTH - 1}位字符，实际为{len(first17)}位",
        )
    for index, char in enumerate(first17):
        if char not in _VALUE:
            raise _bad_char_error(first17, index)
    return _check_char(first17)


def _gb11714_check_char(organization_code: str) -> str:
    # Letters valued A=10 ... Z=35 as in GB 11714 (unverified for USCC use, hence
    # only ever a warning). All our characters are 0-9/A-Y, so int(.., 36) works.
    total = sum(
        int(char, 36) * weight
        for char, weight in zip(organization_code[:8], _GB11714_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _warnings(code: str) -> list[str]:
    authority, org_type = code[0], code[:2]
    found: list[str] = []
    if authority not in _AUTHORITY_NAMES_ZH:
        found.append(
            f"registration authority code {authority!r} (position 1) is not in the "
            "GB 32100-2015 table we know"
        )
    elif org_type not in _ORG_TYPE_NAMES_ZH:
        if authority in _AUTHORITIES_WITH_TYPE_TABLE:
            found.append(
                f"organisation type code {org_type!r} (positions 1-2) is not in the "
                "GB 32100-2015 table we know"
            )
        else:
            found.append(
                f"organisation type code {org_type!r} (positions 1-2) not checked: no "
                f"verified type table for authority {authority!r} "
                f"({_AUTHORITY_NAMES_ZH[authority]})"
            )
    organization_code = code[8:17]
    inner = _gb11714_check_char(organization_code)
    if organization_code[8] != inner:
        found.append(
            f"organisation code {organization_code!r} (positions 9-17) fails the "
            f"GB 11714 check: expected {inner!r} at position 17, got {organization_code[8]!r}"
        )
    return found


def parse_uscc(raw: str) -> Uscc:
    """Normalise (:func:`normalize_uscc`) and validate ``raw`` as a USCC.

    Raises :class:`InvalidUscc` naming the first problem found, checked in this
    order: length, characters in positions 1-17, digits in positions 3-8, check
    character. Doubtful-but-possible content becomes :attr:`Uscc.warnings`.
    """
    code = normalize_uscc(raw)
    got = _validated(code)[-1]
    authority, org_type = code[0], code[:2]
    return Uscc(
        code=code,
        registration_authority_code=authority,
        org_type_code=org_type,
        admin_division_code=code[2:8],
        organization_code=code[8:17],
        check_char=got,
        authority_name_zh=_AUTHORITY_NAMES_ZH.get(authority),
        org_type_name_zh=_ORG_TYPE_NAMES_ZH.get(org_type),
        legal_form_hint=ORG_TYPE_LEGAL_FORM.get(org_type),
        warnings=tuple(_warnings(code)),
    )


def check_normalized_uscc(code: str) -> None:
    """Raise :class:`InvalidUscc` as :func:`parse_uscc` does, for a ``code`` already normalised
    (:func:`normalize_uscc`), without building the :class:`Uscc` or its warnings: what a
    model's validator needs on every contractor it builds (issue 10)."""
    _validated(code)


def _validated(code: str) -> str:
    """``code`` (normalised) if it is a valid USCC; the first problem as :class:`InvalidUscc`."""
    if len(code) != USCC_LENGTH:
        raise InvalidUscc(
            code,
            f"wrong length: expected {USCC_LENGTH} characters, got {len(code)}",
            f"长度错误：应为{USCC_LENGTH}位，实际为{len(code)}位",
        )
    for index, char in enumerate(code[:-1]):
        if char not in _VALUE:
            raise _bad_char_error(code, index)
    for index in range(2, 8):
        if not code[index].isdigit():
            raise InvalidUscc(
                code,
                "positions 3-8 (admin-division code, GB/T 2260) must be 6 digits; "
                f"got {code[index]!r} at position {index + 1}",
                f"第3至8位（登记管理机关行政区划码）应为6位数字，第{index + 1}位为“{code[index]}”",
                position=index + 1,
            )
    expected, got = _check_char(code[:-1]), code[-1]
    if got != expected:
        note = "" if got in _VALUE else f" ({got!r} is not a USCC character at all)"
        raise InvalidUscc(
            code,
            f"wrong check character at position 18: expected {expected!r}, got {got!r}{note}",
            f"校验码错误：第18位应为“{expected}”，实际为“{got}”",
            position=USCC_LENGTH,
        )
    return code


def is_valid_uscc(raw: str) -> bool:
    """Whether :func:`parse_uscc` accepts ``raw``; warnings do not make it invalid."""
    try:
        parse_uscc(raw)
    except InvalidUscc:
        return False
    return True


def legal_form_hint(code: str) -> str | None:
    """The legal-form identifier (:data:`ORG_TYPE_LEGAL_FORM`) a USCC points to.

    ``code`` is either a full USCC (validated; :class:`InvalidUscc` if invalid) or
    a 2-character org type code such as ``"52"``. ``None`` for "other" and unknown
    types. Only a hint: the registration certificate, not the code, is authoritative.
    """
    normalised = normalize_uscc(code)
    if len(normalised) == 2:
        return ORG_TYPE_LEGAL_FORM.get(normalised)
    return parse_uscc(normalised).legal_form_hint
