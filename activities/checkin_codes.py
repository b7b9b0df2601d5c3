"""The codes of 扫码签到: a signed, short-lived token per activity and 30 seconds.

The leader's screen shows a QR code of a URL carrying `checkin_token`; it is
redrawn every 30 seconds. A token names the activity and the 30-second slot it
was made in, signed with the site's secret (django.core.signing), so nobody
can make one for another activity or another moment. A code is accepted in
its own slot and the next one: whatever the screen shows still works for at
least 30 seconds after it was drawn, while a photo of it taken a minute ago
(passed around a chat group to someone who is not in the room) does not.
"""

import re

from django.core import signing
from django.utils import timezone

SLOT_SECONDS = 30
_SALT = "activities.checkin"
_VALUE = re.compile(r"^(\d+)\.(\d+)$")

INVALID = "签到二维码无效：请用手机扫描组长屏幕上正在显示的签到二维码。"
EXPIRED = (
    "签到二维码已过期（二维码每 30 秒更新一次，照片或转发的二维码不能签到）。"
    "请扫描组长屏幕上正在显示的二维码。"
)


class CheckInCodeRefused(Exception):
    """A token that is forged, mangled or too old; the message says so in Chinese."""


def _slot(now=None) -> int:
    return int((now or timezone.now()).timestamp()) // SLOT_SECONDS


def checkin_token(*, activity_id: int, now=None) -> str:
    """The token the screen shows now."""
    return signing.Signer(salt=_SALT).sign(f"{activity_id}.{_slot(now)}")


def checkin_token_read(token: str, *, now=None) -> int:
    """The activity id of a genuine token that is current at `now` (its own
    slot or the next). Forged or too old: CheckInCodeRefused."""
    try:
        value = signing.Signer(salt=_SALT).unsign(token)
    except signing.BadSignature:
        raise CheckInCodeRefused(INVALID) from None
    match = _VALUE.match(value)
    if not match:
        raise CheckInCodeRefused(INVALID)
    activity_id, slot = int(match.group(1)), int(match.group(2))
    current = _slot(now)
    if slot not in (current, current - 1):
        raise CheckInCodeRefused(EXPIRED)
    return activity_id
