"""Whole numbers read from request parameters (ids, page numbers, seconds)."""

# Any id, count or page of ours fits in 18 digits. A longer run of digits is
# not a number we hold: Python refuses int() of more than 4,300 digits and
# the database any beyond 64 bits, each as a server error (outside test 6).
MOST_DIGITS = 18


def whole_number(raw: str | None) -> int | None:
    """The number `raw` spells (digits only: isdecimal, not isdigit, which
    admits "²" that int() refuses), or None for anything else."""
    if raw and raw.isdecimal() and len(raw) <= MOST_DIGITS:
        return int(raw)
    return None


def whole_numbers(raws) -> list[int]:
    """The numbers among `raws` (a form's ticked ids), the rest dropped."""
    return [n for n in map(whole_number, raws) if n is not None]
