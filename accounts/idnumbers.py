"""Chinese resident identity numbers (GB 11643-1999) and mobile numbers."""

import re

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper()


def is_valid_id_number(value: str) -> bool:
    value = normalize_id_number(value)
    return bool(_ID_RE.match(value)) and id_check_char(value[:17]) == value[17]


def is_valid_phone(value: str) -> bool:
    return bool(_PHONE_RE.match((value or "").strip()))


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
