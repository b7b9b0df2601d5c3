"""How a file's size is said to the person who uploaded it: in the unit its rule
is written in (MB, or KB where the seed says 不超过 2048kb) and exactly in bytes,
so a file one byte over a limit does not read as "20.0 MB, over the 20 MB limit"
with nothing to show why.

The figure is rounded up, never to the nearest: a file over a limit must not
read as exactly the limit ("2048.0 KB, over the 2048 KB limit" for one byte
more); rounded up it says 2048.1 KB. static/js/uploads.js says it the same way."""

KB = 1024
MB = 1024 * 1024
_UNITS = {"KB": KB, "MB": MB}


def size_text(size: int, unit: str = "MB") -> str:
    """20971521 -> "20.1 MB（20,971,521 字节）"; in KB: 2097153 -> "2048.1 KB（2,097,153 字节）"."""
    tenths = -(-size * 10 // _UNITS[unit])  # ceiling division, in whole integers
    return f"{tenths // 10}.{tenths % 10} {unit}（{size:,} 字节）"


def limit_text(limit: int, unit: str = "MB") -> str:
    """20971520 -> "20 MB"; 2097152 in KB -> "2048 KB"."""
    return f"{limit // _UNITS[unit]} {unit}"


def too_big_message(*, what: str, size: int, limit: int, unit: str = "MB") -> str:
    """The refusal of a file above `limit` bytes: its size and the limit."""
    return f"{what}有 {size_text(size, unit)}，超过了 {limit_text(limit, unit)} 的上限。"
