"""Moments of a lesson video, as people write and read them: "12:30" is 750 s.

A comment pinned to a moment (VideoComment.second) shows as mm:ss (h:mm:ss
past an hour); a member types one, or the page fills it from the video."""

import re
import unicodedata

_CLOCK = re.compile(r"^(?:(\d{1,2}):)?(\d{1,3}):(\d{1,2})$")
_WORDS = re.compile(r"^(?:(\d{1,3})分(?:钟)?)?(?:(\d{1,2})秒)?$")

FORMAT_HINT = "请按“分:秒”填写视频时间点，如 12:30。"


def moment_label(second: int) -> str:
    hours, rest = divmod(int(second), 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes:02d}:{seconds:02d}"


def moment_parse(text: str) -> int | None:
    """Seconds from "12:30", "1:02:03", "12：30" or "12分30秒"; None if unreadable."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))
    if not text:
        return None
    clock = _CLOCK.match(text)
    if clock:
        hours, minutes, seconds = (int(g) if g else 0 for g in clock.groups())
        if seconds > 59 or (hours and minutes > 59):
            return None
        return hours * 3600 + minutes * 60 + seconds
    words = _WORDS.match(text)
    if words and any(words.groups()):
        minutes, seconds = (int(g) if g else 0 for g in words.groups())
        return None if seconds > 59 else minutes * 60 + seconds
    return None
