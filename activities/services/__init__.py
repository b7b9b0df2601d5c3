"""Writes for topics and activities, split by subdomain. Import from here."""

from .checkin import (
    checkin_close,
    checkin_manual,
    checkin_open,
    checkin_scan,
    checkin_sheet_evidence,
)
from .claims import claim_confirm
from .common import ActivityError
from .completion import (
    participation_complete,
    participation_enter,
    participation_join,
    participations_uncomplete,
)
from .discussion import like_set, post_create
from .extensions import (
    EXTENSION_DAYS_AFTER_CYCLE,
    extension_bounds,
    extension_grant,
    extension_grant_activity,
)
from .homework import homework_submit
from .moments import video_comment_add
from .notifications import notify_group_members
from .observation import (
    observation_form_update,
    observation_question_add,
    observation_question_delete,
    observation_submit,
    observation_video_set,
)
from .offline import (
    CreditUnconfirmed,
    evidence_add,
    evidence_withdraw,
    participant_undesignate,
    participants_designate,
)
from .reminding import activity_members_remind
from .topics import (
    DATE_LOCKED,
    activity_close,
    activity_create,
    activity_delete,
    activity_publish,
    activity_update,
    topic_create,
    topic_delete,
    topic_publish,
    topic_update,
)

__all__ = [
    "ActivityError",
    "DATE_LOCKED",
    "activity_members_remind",
    "checkin_close",
    "checkin_manual",
    "checkin_open",
    "checkin_scan",
    "checkin_sheet_evidence",
    "activity_close",
    "activity_create",
    "activity_delete",
    "activity_publish",
    "activity_update",
    "claim_confirm",
    "CreditUnconfirmed",
    "EXTENSION_DAYS_AFTER_CYCLE",
    "evidence_add",
    "extension_bounds",
    "extension_grant",
    "extension_grant_activity",
    "evidence_withdraw",
    "homework_submit",
    "like_set",
    "notify_group_members",
    "observation_form_update",
    "observation_question_add",
    "observation_question_delete",
    "observation_submit",
    "observation_video_set",
    "participant_undesignate",
    "participants_designate",
    "participation_complete",
    "participation_enter",
    "participation_join",
    "participations_uncomplete",
    "post_create",
    "topic_create",
    "topic_delete",
    "topic_publish",
    "topic_update",
    "video_comment_add",
]
