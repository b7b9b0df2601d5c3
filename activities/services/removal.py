"""调岗移除 in activities: the removed teacher's records in the school's
activities no longer count or show anywhere (DESIGN §2, issue 9 §1).

Clearing is structural: each row is archived into the removal's audit trail
(groups.ClearedRecord: its fields as JSON, its stored files named and left in
storage) and then deleted, so no later list, count, join, annotation, export
or zip can forget to leave it out. Cleared: participations (joins, designations,
completions), posts with the likes they received, homework submissions with
their files, observation responses, check-ins (扫码签到) and comments pinned to
moments of lesson videos, and extensions (延期) granted to the teacher there.
Kept: what belongs to others or to the
group (topics and activities the teacher created as leader, evidence they
uploaded, likes they gave to colleagues' posts — a like belongs to the post it
praises, and removing it would change another teacher's post).

Registered in ActivitiesConfig.ready(), so every removal runs it.
"""

from groups.removal import Clearer, Clearing

from ..models import (
    CheckIn,
    Extension,
    Like,
    ObservationResponse,
    Participation,
    Post,
    Submission,
    SubmissionFile,
    VideoComment,
)


def _rows(user_id: int, school_id: int) -> dict:
    in_school = {"activity__group__school_id": school_id}
    posts = Post.objects.filter(author_id=user_id, **in_school)
    submissions = Submission.objects.filter(user_id=user_id, **in_school)
    return {
        "participations": Participation.objects.filter(user_id=user_id, **in_school),
        "designations": Participation.objects.filter(
            user_id=user_id, designated_by__isnull=False, **in_school
        ),
        "posts": posts,
        "likes_received": Like.objects.filter(post__in=posts),
        "submissions": submissions,
        "submission_files": SubmissionFile.objects.filter(submission__in=submissions),
        "observation_responses": ObservationResponse.objects.filter(user_id=user_id, **in_school),
        "check_ins": CheckIn.objects.filter(user_id=user_id, **in_school),
        "video_comments": VideoComment.objects.filter(author_id=user_id, **in_school),
        "extensions": Extension.objects.filter(teacher_id=user_id, school_id=school_id),
    }


def _clear_activities(clearing: Clearing) -> dict:
    rows = _rows(clearing.place.user_id, clearing.place.school_id)
    counts = {"designations": rows["designations"].count()}
    # Children before parents: each is archived while it still exists.
    for key in (
        "likes_received",
        "posts",
        "submission_files",
        "submissions",
        "observation_responses",
        "check_ins",
        "video_comments",
        "extensions",
        "participations",
    ):
        qs = rows[key].order_by("pk")
        files = (lambda f: [f.file.name]) if key == "submission_files" else None
        counts[key] = clearing.archive(list(qs), files=files)
        qs.delete()
    return {"activities": counts}


def _preview_activities(place) -> list[str]:
    rows = _rows(place.user_id, place.school_id)
    n = {k: rows[k].count() for k in ("participations", "posts", "submissions")}
    for key in ("observation_responses", "check_ins", "video_comments"):
        n[key] = rows[key].count()
    if not any(n.values()):
        return ["研修活动：暂无活动记录"]
    return [
        f"研修活动：{n['participations']} 条活动参与（含指定参与）、{n['posts']} 条研讨观点、"
        f"{n['submissions']} 份研修作业、{n['observation_responses']} 份听课评课表、"
        f"{n['check_ins']} 条签到、{n['video_comments']} 条视频评论"
        "将归档到移除记录，不再显示、不再计入"
    ]


def _activities_in_use(place) -> bool:
    rows = _rows(place.user_id, place.school_id)
    return any(rows[k].exists() for k in _PREVIEWED)


_PREVIEWED = (
    "participations",
    "posts",
    "submissions",
    "observation_responses",
    "check_ins",
    "video_comments",
)

REMOVAL_CLEARER = Clearer(
    name="activities",
    clear=_clear_activities,
    preview=_preview_activities,
    in_use=_activities_in_use,
)
