"""How a file's size is said to the person who uploaded it: in MB, and exactly
in bytes, so a file one byte over a limit does not read as "20.0 MB, over the
20 MB limit" with nothing to show why."""

MB = 1024 * 1024


def size_text(size: int) -> str:
    """20971521 -> "20.0 MB（20,971,521 字节）"."""
    return f"{size / MB:.1f} MB（{size:,} 字节）"


def too_big_message(*, what: str, size: int, limit: int) -> str:
    """The refusal of a file above `limit` bytes: its size and the limit."""
    return f"{what}有 {size_text(size)}，超过了 {limit // MB} MB 的上限。"
