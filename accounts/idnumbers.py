"""Chinese resident identity numbers (GB 11643-1999) and mobile numbers."""

import datetime
import re
import unicodedata

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
# ASCII digits only: Python's \d takes every script's digits (Arabic-Indic,
# full-width…), which let one person's number be written a second way and
# make a second account (outside test 14 F3).
_ID_RE = re.compile(r"^[0-9]{17}[0-9X]$")
_PHONE_RE = re.compile(r"^1[3-9][0-9]{9}$")


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def _typed(value: str) -> str:
    """What was typed, with full-width characters (a Chinese input method's
    １２３, Ｘ) as their ASCII forms (NFKC), so one number has one spelling."""
    return unicodedata.normalize("NFKC", value or "").strip()


def normalize_id_number(value: str) -> str:
    return _typed(value).upper()


def normalize_phone(value: str) -> str:
    return _typed(value)


# The provinces' codes (GB/T 2260), the first two digits of every number; 81–83
# begin the residence permits of Hong Kong, Macao and Taiwan residents.
_PROVINCES = frozenset(
    str(code)
    for code in (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42)
    + (43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83)
)


def _born(value: str) -> datetime.date | None:
    """The birth date the number carries (characters 7–14), if it is a real day."""
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def is_valid_id_number(value: str) -> bool:
    """The format and check digit, a province that exists and a real birth
    date since 1900, not in the future: a number with a valid check digit
    and month 13 was accepted (outside test 13 F6)."""
    value = normalize_id_number(value)
    if not (_ID_RE.match(value) and id_check_char(value[:17]) == value[17]):
        return False
    born = _born(value)
    return (
        value[:2] in _PROVINCES
        and born is not None
        and datetime.date(1900, 1, 1) <= born <= datetime.date.today()
    )


def is_valid_phone(value: str) -> bool:
    return bool(_PHONE_RE.match(normalize_phone(value)))


MASK = "*******"
_MASKED_RE = re.compile(r"^\d{6}\*{4,}[\dX*]*$")


def mask_id_number(value: str) -> str:
    """440402199001011234 -> 440402*******: only the region (the first six
    characters) is shown. The birth date and the last four stay hidden: with
    them, a colleague holding the masked number could guess what remains."""
    if not value:
        return ""
    if len(value) < 10:
        return "*" * len(value)
    return f"{value[:6]}{MASK}"


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678, as the audit of refused numbers keeps it."""
    value = value or ""
    return f"{value[:3]}****{value[-4:]}" if len(value) == 11 else "*" * len(value)


def is_masked_id_number(value: str) -> bool:
    """A number as the platform's own exports write it ("440402*******"); also
    the older form that kept the last four ("440402*******1234")."""
    return bool(_MASKED_RE.match(normalize_id_number(value)))
