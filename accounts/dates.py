"""Deadlines in the words people use (DOMAIN.md: "deadlines that lock people out
with no warning"): "还剩 3 天", "今天截止", "已截止". The one place that turns a
last day into words; the template filters `countdown` and `countdown_badge`
(accounts/templatetags/xiaoben.py) only wrap it.

A last day is a date in Asia/Shanghai (TIME_ZONE): the day itself still counts,
so work handed in at 23:59 on it is on time, and "已截止" starts at midnight.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

# From how many days left a deadline is shown as close (a warning colour).
SOON_DAYS = 3


@dataclass(frozen=True)
class Countdown:
    last_day: datetime.date
    days_left: int  # 0 on the last day itself, negative once it has passed

    @property
    def words(self) -> str:
        if self.days_left < 0:
            return "已截止"
        if self.days_left == 0:
            return "今天截止"
        return f"还剩 {self.days_left} 天"

    @property
    def closed(self) -> bool:
        return self.days_left < 0

    @property
    def soon(self) -> bool:
        return 0 <= self.days_left <= SOON_DAYS

    @property
    def badge(self) -> str:
        """Bootstrap's badge class for it: dark once closed, red when close."""
        if self.closed:
            return "text-bg-secondary"
        if self.soon:
            return "text-bg-danger"
        return "text-bg-light border text-body"

    def __str__(self):
        return self.words


def countdown(*, last_day: datetime.date, today: datetime.date | None = None) -> Countdown:
    """How long is left until (and including) `last_day`, today in Asia/Shanghai."""
    today = today or timezone.localdate()
    return Countdown(last_day=last_day, days_left=(last_day - today).days)


def day_words(day: datetime.date) -> str:
    """A date as the pages write it in sentences: 2026年12月10日."""
    return f"{day.year}年{day.month}月{day.day}日"
