"""听课评课: the lesson video, the evaluation form (听课评课表) and responses."""

from django.db import IntegrityError, transaction

from ..files import LESSON_VIDEO, UploadRefused, check_upload
from ..models import (
    Activity,
    ObservationForm,
    ObservationQuestion,
    ObservationResponse,
)
from ..selectors import participation_of
from .common import (
    ActivityError,
    lock_member,
    require_kind,
    require_live_group,
    require_window,
)
from .completion import participation_complete, participation_enter

Q = ObservationQuestion.Kind

# A sensible starting form (DOMAIN.md proposal): scored items, an overall grade,
# free text for 亮点 / 问题 / 改进建议. The leader edits it in the page.
DEFAULT_QUESTIONS = [
    (Q.SCORE, "教学目标明确，符合课程标准与学情", 10, []),
    (Q.SCORE, "信息技术与学科教学融合恰当、有效", 10, []),
    (Q.SCORE, "教学环节设计合理，时间分配得当", 10, []),
    (Q.SCORE, "学生参与充分，课堂互动有效", 10, []),
    (Q.SCORE, "所针对的能力点在课堂中得到体现", 10, []),
    (Q.CHOICE, "总体评价", 10, ["优秀", "良好", "合格", "待改进"]),
    (Q.TEXT, "亮点", 10, []),
    (Q.TEXT, "存在的问题", 10, []),
    (Q.TEXT, "改进建议", 10, []),
]


def observation_form_default(*, activity: Activity) -> ObservationForm:
    form = ObservationForm.objects.create(activity=activity)
    ObservationQuestion.objects.bulk_create(
        ObservationQuestion(
            form=form, position=i, kind=kind, prompt=prompt, max_score=top, choices=choices
        )
        for i, (kind, prompt, top, choices) in enumerate(DEFAULT_QUESTIONS)
    )
    return form


def _editable_form(activity: Activity) -> ObservationForm:
    require_kind(activity, Activity.Kind.OBSERVATION)
    require_live_group(activity.group)
    if activity.observation_responses.exists():
        raise ActivityError("已有组员提交了听课评课表，不能再修改题目。")
    form, _ = ObservationForm.objects.get_or_create(activity=activity)
    return form


def observation_form_update(
    *, activity: Activity, by, lesson_title: str, teacher_name: str, subject_grade: str, taught_on
) -> ObservationForm:
    require_kind(activity, Activity.Kind.OBSERVATION)
    require_live_group(activity.group)
    form, _ = ObservationForm.objects.get_or_create(activity=activity)
    form.lesson_title = lesson_title
    form.teacher_name = teacher_name
    form.subject_grade = subject_grade
    form.taught_on = taught_on
    form.save(update_fields=["lesson_title", "teacher_name", "subject_grade", "taught_on"])
    return form


def observation_question_add(
    *, activity: Activity, by, kind: str, prompt: str, max_score: int = 10, choices=()
) -> ObservationQuestion:
    form = _editable_form(activity)
    prompt = prompt.strip()
    if not prompt:
        raise ActivityError("请填写题目。")
    choices = [c.strip() for c in choices if c.strip()]
    if kind == Q.CHOICE and len(choices) < 2:
        raise ActivityError("单选题至少需要两个选项。")
    if kind == Q.SCORE and not 1 <= int(max_score) <= 100:
        raise ActivityError("满分须在 1 到 100 之间。")
    last = form.questions.order_by("-position").values_list("position", flat=True).first()
    return ObservationQuestion.objects.create(
        form=form,
        position=(last or 0) + 1,
        kind=kind,
        prompt=prompt,
        max_score=int(max_score) if kind == Q.SCORE else 10,
        choices=choices if kind == Q.CHOICE else [],
    )


def observation_question_delete(*, question: ObservationQuestion, by) -> None:
    _editable_form(question.form.activity)
    question.delete()


def observation_video_set(*, activity: Activity, by, upload=None, url: str = "") -> Activity:
    """Upload the lesson video (replacing any earlier one) or give a link."""
    require_kind(activity, Activity.Kind.OBSERVATION)
    require_live_group(activity.group)
    url = url.strip()
    if upload is None and not url:
        raise ActivityError("请上传课堂视频或填写视频链接。")
    old_name = activity.video.name if activity.video else ""
    if upload is not None:
        try:
            check_upload(upload, LESSON_VIDEO)
        except UploadRefused as refusal:
            raise ActivityError(str(refusal)) from None
        activity.video.save(upload.name, upload, save=False)
        activity.video_name = upload.name[:200]
        activity.video_size = upload.size
        activity.video_url = ""
    else:
        if not url.startswith(("http://", "https://")):
            raise ActivityError("视频链接须以 http:// 或 https:// 开头。")
        activity.video = ""
        activity.video_name = ""
        activity.video_size = 0
        activity.video_url = url
    activity.save(update_fields=["video", "video_name", "video_size", "video_url"])
    if old_name and old_name != activity.video.name:
        from django.core.files.storage import default_storage

        transaction.on_commit(lambda: default_storage.delete(old_name))
    return activity


def _clean_answers(questions, raw: dict) -> tuple[dict, int]:
    answers, total, missing = {}, 0, []
    for q in questions:
        value = (raw.get(f"q{q.pk}") or "").strip()
        if not value:
            if q.required:
                missing.append(q.prompt)
            continue
        if q.kind == Q.SCORE:
            # Plain digits only: int() would also take "1_0" and "１０".
            if not (value.isascii() and value.isdigit() and len(value) <= 6):
                raise ActivityError(f"“{q.prompt}”的评分须是 0 到 {q.max_score} 之间的整数。")
            score = int(value)
            if not 0 <= score <= q.max_score:
                raise ActivityError(f"“{q.prompt}”的评分须在 0 到 {q.max_score} 之间。")
            answers[str(q.pk)] = score
            total += score
        elif q.kind == Q.CHOICE:
            if value not in q.choices:
                raise ActivityError(f"请为“{q.prompt}”选择一个选项。")
            answers[str(q.pk)] = value
        else:
            answers[str(q.pk)] = value[:5000]
    if missing:
        raise ActivityError("请完成以下必答项：" + "、".join(missing))
    return answers, total


def observation_submit(*, activity: Activity, user, raw_answers: dict) -> ObservationResponse:
    """Submit the 听课评课表; it completes the activity. A double submit stores one
    response (unique (activity, user) in the database) and completes once."""
    require_kind(activity, Activity.Kind.OBSERVATION)
    require_window(activity, user)
    participation = participation_of(activity=activity, user=user)
    if participation is None:
        raise ActivityError("请先点击“参与活动”，再提交听课评课表。")
    existing = ObservationResponse.objects.filter(activity=activity, user=user).first()
    if existing:
        return existing
    questions = list(ObservationQuestion.objects.filter(form__activity=activity))
    answers, total = _clean_answers(questions, raw_answers)
    with transaction.atomic():
        lock_member(activity, user)
        try:
            with transaction.atomic():
                response = ObservationResponse.objects.create(
                    activity=activity, user=user, answers=answers, total_score=total
                )
        except IntegrityError:
            return ObservationResponse.objects.get(activity=activity, user=user)
        participation_enter(participation=participation)
        participation.activity, participation.user = activity, user
        participation_complete(
            participation=participation,
            by=user,
            place_locked=True,  # lock_member above
            reason=f"提交听课评课表《{activity.title}》",
        )
    return response
