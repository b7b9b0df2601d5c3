"""Valid-looking identity and phone numbers for demo data and tests."""

import datetime

from .idnumbers import id_check_char


def make_id_number(n: int, area: str = "440402") -> str:
    birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=(n // 500) % 9000)
    first17 = f"{area}{birth:%Y%m%d}{n % 500 * 2:03d}"[:17]
    return first17 + id_check_char(first17)


def make_phone(n: int) -> str:
    return f"139{n:08d}"
