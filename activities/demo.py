"""Demo activities for 语文组 of the demo school: every type in every state —
a draft, open activities, completed ones, an offline activity with evidence and
one still waiting for it (held in a few days), a closed homework. Each topic
carries the key points its title is about (微课助力课堂: A3; 评价量规设计与应用:
A13 and G2); every date lies inside the cycle. The leader is designated on the
offline activities too, so their own hours wait in the school admin's queue.
Idempotent: skipped when the group already has topics. Runs after the groups
and hours demos (DEMO_APPS order).

Issue 14: an offline activity today with 扫码签到 open and three members
checked in (the demo teacher can scan the code on the leader's screen); the
听课评课 lesson video uploaded (a short clip), with comments pinned to its
moments; and each other group's first topic, aimed at the point its plan names,
so the consistency page finds only what groups.demo put in the 两案 on purpose."""

import datetime
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from groups.demo import GROUP_POINTS
from groups.models import GroupMember, ResearchGroup, SchoolTheme

from . import services
from .models import ObservationQuestion, Topic

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)

VIEWS = [
    "微课要短小精悍，一个知识点讲透就好，五分钟以内学生最专注。",
    "我用希沃白板录制微课，课前推送给学生预习，课堂讨论明显更充分。",
    "评价量规最好和学生一起制定，学生更清楚目标，自评互评也更有依据。",
    "作文课上用量规互评，学生能指出同伴文章的具体问题，效果比我单独批改好。",
]


def _group(ctx):
    leader = ctx.users.get("leader")
    group = (
        ResearchGroup.objects.filter(leader=leader, archived_at__isnull=True).first()
        if leader
        else None
    )
    return group


def _answers(activity, n):
    out = {}
    for q in ObservationQuestion.objects.filter(form__activity=activity):
        if q.kind == "score":
            out[f"q{q.pk}"] = str(q.max_score - n % 3)
        elif q.kind == "choice":
            out[f"q{q.pk}"] = q.choices[n % 2]
        else:
            out[f"q{q.pk}"] = "导入环节的微课使用恰当，学生兴趣浓厚。"
    return out


LESSON_VIDEO = Path(__file__).resolve().parent / "demo_data" / "lesson.webm"
MOMENTS = [
    (20, "导入用一段 1 分钟的微课，学生马上被吸引住了。"),
    (65, "这里的追问很好：让学生说出判断的理由。"),
    (72, "同意，追问之后学生用量规的语言在评价。"),
    (78, "建议这里给学生 30 秒独立思考再讨论。"),
    (150, "小结时可以让学生自己用思维导图梳理。"),
]
OTHER_TOPICS = {
    "数学组": "微课讲解数学易错题",
    "英语组": "英语口语表达评价量规",
    "科学组": "科学实验微课设计",
    "艺体组": "艺体课堂表现性评价量规",
    "信息技术组": "多技术融合环境下的集体教研",
}


def _other_groups(ctx, points) -> None:
    """Each other group has published its first topic, on its plan's point."""
    for group in ResearchGroup.objects.filter(
        school_id=ctx.school.pk, name__in=OTHER_TOPICS, archived_at__isnull=True
    ).select_related("leader"):
        if group.leader is None or Topic.objects.filter(group=group).exists():
            continue
        topic = services.topic_create(
            group=group,
            by=group.leader,
            title=OTHER_TOPICS[group.name],
            key_points=[points[code] for code in GROUP_POINTS[group.name]],
        )
        services.topic_publish(topic=topic, by=group.leader)


def load(ctx) -> None:
    group = _group(ctx)
    if group is None or Topic.objects.filter(group=group).exists():
        return
    leader = group.leader
    theme = SchoolTheme.objects.filter(school_id=group.school_id, cycle=ctx.cycle).first()
    points = {p.code: p for p in theme.key_points.all()} if theme else {}
    if not {"A3", "A13", "G2"} <= set(points):
        return
    _other_groups(ctx, points)
    demo_teacher = ctx.users.get("teacher")
    members = [m.user for m in GroupMember.objects.filter(group=group).select_related("user")]
    others = [u for u in members if u != demo_teacher and u != leader]
    today = timezone.localdate()

    def day(n):
        return today + datetime.timedelta(days=n)

    micro = services.topic_create(
        group=group,
        by=leader,
        title="微课助力课堂",
        description="围绕 A3 微课程设计与制作开展研讨、作业与听评课。",
        key_points=[points["A3"]],
    )
    services.topic_publish(topic=micro, by=leader)
    rubric = services.topic_create(
        group=group,
        by=leader,
        title="评价量规设计与应用",
        description="围绕 A13 评价量规设计与应用，以集体备课、同课异构开展教研（G2）。",
        key_points=[points["A13"], points["G2"]],
    )
    services.topic_publish(topic=rubric, by=leader)

    def make(topic, kind, title, held, opens, closes, publish=True, **kw):
        a = services.activity_create(
            topic=topic,
            by=leader,
            kind=kind,
            title=title,
            description=kw.pop("description", f"{title}：请按要求完成。"),
            held_on=day(held),
            opens_on=day(opens),
            closes_on=day(closes),
            **kw,
        )
        if kind == "observation":
            services.observation_video_set(
                activity=a, by=leader, url="https://example.com/lessons/autumn.mp4"
            )
        if publish:
            services.activity_publish(activity=a, by=leader)
        return a

    # 教学研讨, open: colleagues posted and liked; the demo teacher has not joined yet.
    talk = make(micro, "discussion", "微课在课堂中怎么用最有效", -3, -5, 10)
    posts = []
    for i, user in enumerate(others[:3]):
        services.participation_join(activity=talk, user=user)
        posts.append(services.post_create(activity=talk, user=user, body=VIEWS[i]))
    for post in posts:
        for user in others[:3]:
            if user != post.author:
                services.like_set(post=post, user=user, liked=True)

    # 教学研讨, completed by the demo teacher.
    done = make(rubric, "discussion", "评价量规的设计要点", -10, -12, 5)
    for user in [demo_teacher, *others[:2]]:
        if user:
            services.participation_join(activity=done, user=user)
            services.post_create(activity=done, user=user, body=VIEWS[3])

    # 研修作业, open: some submissions with files.
    homework = make(micro, "homework", "提交一份微课教学设计", -2, -4, 14, task_kind="design")
    for user in others[:2]:
        services.participation_join(activity=homework, user=user)
        services.homework_submit(
            activity=homework,
            user=user,
            text="微课《秋天的雨》教学设计，附教学反思。",
            files=[SimpleUploadedFile("教学设计.pdf", PDF, "application/pdf")],
        )

    # 听课评课, open: video link, default form, two responses.
    observe = make(micro, "observation", "《秋天的雨》微课公开课听评课", -1, -1, 12)
    services.observation_form_update(
        activity=observe,
        by=leader,
        lesson_title="秋天的雨",
        teacher_name=others[0].display_name if others else leader.display_name,
        subject_grade="语文 / 三年级",
        taught_on=day(-6),
    )
    services.observation_video_set(
        activity=observe,
        by=leader,
        upload=SimpleUploadedFile(
            "秋天的雨-课堂实录.webm", LESSON_VIDEO.read_bytes(), "video/webm"
        ),
    )
    for n, user in enumerate(others[:2]):
        services.participation_join(activity=observe, user=user)
        services.observation_submit(activity=observe, user=user, raw_answers=_answers(observe, n))
    # Comments pinned to moments of the video (others' show to a member once
    # their own form is in; the leader sees all).
    for n, (second, body) in enumerate(MOMENTS):
        services.video_comment_add(activity=observe, user=others[n % 2], second=second, body=body)

    # 线下活动 with evidence: everyone designated is completed.
    offline = make(rubric, "offline", "集体备课：作文评价量规", -7, -7, -7, hours_value=5)
    services.participants_designate(activity=offline, by=leader, users=members)
    services.evidence_add(
        activity=offline,
        by=leader,
        kind="sign_in",
        upload=SimpleUploadedFile("签到表.pdf", PDF, "application/pdf"),
        confirmed=len(members),  # the leader ticked "将为 N 名组员计入 5 学时"
    )
    services.evidence_add(
        activity=offline,
        by=leader,
        kind="photo",
        upload=SimpleUploadedFile("现场照片.png", PNG, "image/png"),
    )

    # 线下活动 still waiting for evidence.
    waiting = make(rubric, "offline", "同课异构：量规在习作讲评中的应用", 3, 3, 3, hours_value=3)
    services.participants_designate(activity=waiting, by=leader, users=members)

    # 线下活动 today, 扫码签到 open: the leader and two members have scanned the
    # code; the demo teacher has not yet.
    today_offline = make(rubric, "offline", "集体备课：量规评价课例研讨", 0, 0, 0, hours_value=3)
    services.participants_designate(activity=today_offline, by=leader, users=members)
    services.checkin_open(activity=today_offline, by=leader)
    now = timezone.now()
    for n, user in enumerate([leader, *others][:3]):
        scanned = now - datetime.timedelta(minutes=12 - 3 * n)
        if timezone.localdate(scanned) != today:  # loaded just after midnight
            scanned = now
        services.checkin_scan(activity=today_offline, user=user, at=scanned)

    # A closed homework and a draft.
    closed = make(rubric, "homework", "量规试用后的教学反思", -40, -45, -30, task_kind="reflection")
    services.activity_close(activity=closed, by=leader)
    make(micro, "discussion", "（草稿）微课制作工具分享", 7, 7, 20, publish=False)

    _deadlines(make, micro, rubric, leader, demo_teacher, others, day)

    ctx.logins.append(
        ("教研组长的研修活动", leader.username, f"/activities/groups/{group.pk}/ 覆盖情况、活动")
    )


def _deadlines(make, micro, rubric, leader, demo_teacher, others, day) -> None:
    """Issue 13: activities closing today and in three days (the daily job
    reminds who has not done the second), one closed yesterday, an offline one
    held a week ago still without evidence, and an extension the leader
    granted the demo teacher on the second."""
    today_talk = make(micro, "discussion", "信息技术支持的课堂提问设计", -4, -8, 0)
    for user in others[:2]:
        services.participation_join(activity=today_talk, user=user)
        services.post_create(
            activity=today_talk, user=user, body="提问要有层次：先用投票了解全班想法，再追问理由。"
        )
    script = make(micro, "homework", "上传一节微课的制作脚本", -5, -6, 3, task_kind="design")
    services.participation_join(activity=script, user=others[0])
    services.homework_submit(
        activity=script,
        user=others[0],
        text="微课《认识钟表》制作脚本：镜头、旁白与时长。",
        files=[SimpleUploadedFile("微课脚本.pdf", PDF, "application/pdf")],
    )
    make(rubric, "discussion", "量规评价的常见误区", -6, -9, -1)
    # Held a week ago, no evidence yet: the leader's home says it waits.
    held = make(rubric, "offline", "线下听课：低年级识字教学", -8, -8, -8, hours_value=2)
    services.participants_designate(activity=held, by=leader, users=[leader, *others[:3]])
    if demo_teacher is not None:
        services.extension_grant_activity(
            activity=script,
            teacher=demo_teacher,
            until=day(10),
            reason="外出参加市级教研活动一周，回校后补交",
            by=leader,
        )
