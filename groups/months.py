"""Reading the month of a plan's schedule row (两案 校本研修安排, a group plan).

People write the time of a row as they would on paper: "2026年9月", "9 月",
"2026-09", "2026.9", "九月", "10 月—次年 5 月", "9-10月", "9月、11月",
"9月上旬". `plan_months` turns that into the calendar months it names; a
yearless month takes the year that puts it inside the cycle. Text that names
no month ("第一学期", "每月", "学期末") reads as None: the consistency check
reports such a row as a finding of its own instead of guessing.
"""

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass

Month = tuple[int, int]  # (year, month)

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_CN_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
# 十 with any digit after it is read whole: "十三月" is month 13 (no month), not
# the 三 of it (March).
_CN_MONTH = re.compile(r"(十[一二三四五六七八九]?|[一二三四五六七八九])(?=月)")
_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})(?=年)")
_RANGE = re.compile(r"[-~—–－至到]")
_MENTION = re.compile(
    # 2026年9月, 2026-09, 2026.9, 2026/9 (a day after it is ignored); any
    # four-digit year is read as one ("9999年9月" is outside the cycle, not "9月")
    r"(?<!\d)(?P<y>\d{4})(?:年|[-./])(?P<ym>\d{1,2})(?!\d)(?:月份?)?"
    # 9月, 次年5月
    r"|(?P<next>次年|明年|翌年)?(?<!\d)(?P<m>\d{1,2})月"
    # the 9 of "9-10月": a bare number only where a range to a month follows
    r"|(?<!\d)(?P<bare>\d{1,2})(?=[-~—–－至到](?:次年|明年|翌年)?(?:\d{4}年)?\d{1,2}月)"
)
MAX_SPAN = 24  # months a row may span; more is not a schedule row


@dataclass(frozen=True)
class _Mention:
    year: int | None
    month: int
    next_year: bool
    start: int
    end: int


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"\s+", "", text)

    def cn_month(m):
        word = m.group(1)
        if word.startswith("十"):
            return str(10 + (_CN_DIGITS[word[1]] if len(word) > 1 else 0))
        return str(_CN_DIGITS[word])

    text = _CN_YEAR.sub(lambda m: "".join(str(_CN_DIGITS[c]) for c in m.group(1)), text)
    return _CN_MONTH.sub(cn_month, text)


def _mentions(text: str) -> list[_Mention]:
    found = []
    for m in _MENTION.finditer(text):
        if m.group("y"):
            year, month = int(m.group("y")), int(m.group("ym"))
        else:
            year, month = None, int(m.group("m") or m.group("bare"))
        found.append(_Mention(year, month, bool(m.group("next")), m.start(), m.end()))
    return found


def _months_between(a: Month, b: Month) -> list[Month]:
    out, (y, m) = [], a
    while (y, m) <= b and len(out) <= MAX_SPAN:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _first_day(ym: Month) -> datetime.date:
    return datetime.date(ym[0], ym[1], 1)


def month_last_day(ym: Month) -> datetime.date:
    return datetime.date(ym[0], ym[1], calendar.monthrange(ym[0], ym[1])[1])


def month_in_cycle(ym: Month, *, starts_on: datetime.date, ends_on: datetime.date) -> bool:
    """Whether any day of the month lies inside the cycle."""
    return _first_day(ym) <= ends_on and month_last_day(ym) >= starts_on


def _year_in_cycle(month: int, starts_on: datetime.date, ends_on: datetime.date) -> int:
    """The year that puts `month` inside the cycle; else its next occurrence
    after the cycle starts (a row the check then finds outside the cycle)."""
    for year in range(starts_on.year, ends_on.year + 1):
        if month_in_cycle((year, month), starts_on=starts_on, ends_on=ends_on):
            return year
    return starts_on.year if month >= starts_on.month else starts_on.year + 1


def plan_months(
    text: str, *, starts_on: datetime.date, ends_on: datetime.date
) -> list[Month] | None:
    """The months a schedule row's time names, in order; None when it names none
    (or names an impossible month). `starts_on`/`ends_on`: the cycle, which
    gives a yearless month its year."""
    text = _normalise(text)
    mentions = _mentions(text)
    if not mentions or any(
        not 1 <= x.month <= 12 or (x.year is not None and not 1 <= x.year <= 9999) for x in mentions
    ):
        return None
    resolved: list[Month] = []
    for i, x in enumerate(mentions):
        if x.year is not None:
            year = x.year
        elif i == 0:
            year = _year_in_cycle(x.month, starts_on, ends_on)
        else:
            prev_year, prev_month = resolved[-1]
            year = prev_year + 1 if x.next_year or x.month < prev_month else prev_year
        if year > 9999:  # "9999年12月至次年1月": no calendar has it
            return None
        resolved.append((year, x.month))
    months: list[Month] = [resolved[0]]
    for i in range(1, len(mentions)):
        between = text[mentions[i - 1].end : mentions[i].start]
        if _RANGE.search(between):
            if resolved[i] < resolved[i - 1]:
                return None
            span = _months_between(resolved[i - 1], resolved[i])
            if len(span) > MAX_SPAN:
                return None
            months.extend(span[1:])
        else:
            months.append(resolved[i])
    return sorted(set(months))


def month_label(ym: Month) -> str:
    return f"{ym[0]}年{ym[1]}月"


def month_key(ym: Month) -> str:
    """How a group plan stores a month: "2026-09"."""
    return f"{ym[0]:04d}-{ym[1]:02d}"
