"""Demo data for teacher materials and the school review: teachers of the demo
school in every state — no plan; a plan but fewer than 3 points; some
summaries; complete and 待考核; passed; failed with a reason; evaluations
submitted, checked, returned, 合格 and 不合格; a group with a rated typical case,
one with an unrated case, the rest with none. Real small files (a .docx, a
valid one-page .pdf) so every download opens. Runs after the activities demo
(DEMO_APPS order); skipped when the school already has plans."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from accounts.models import SchoolMembership
from accounts.reminders import reminders_run
from activities import services as activities
from activities.models import Topic
from activities.selectors import evidence_would_credit
from groups.models import GroupMember, ResearchGroup, SchoolTheme

from . import services
from .models import ImprovementPlan
from .plan_docx import plan_template_docx
from .selectors import evidence_requirement


def _pdf(text: str) -> bytes:
    """A valid one-page PDF (correct cross-reference table) showing `text` (ASCII)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _docx(title: str, paragraphs: list[str]) -> bytes:
    document = Document()
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _upload(name: str, content: bytes, content_type: str):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _plan_file(user, school, points):
    place = SchoolMembership.objects.active().filter(user=user).first()
    content = plan_template_docx(
        name=user.real_name,
        school=school.name,
        subject=place.subject if place else "",
        stage=place.stage if place else "",
        duty="教师",
        points=points,
    )
    return _upload(f"{user.real_name}的提升计划.docx", content, DOCX)


def _summary_file(user, point):
    content = _docx(
        f"{point.code} {point.name} 提升总结",
        [
            f"{user.real_name}：本学期围绕 {point.code} 参加了教研组的研讨、作业与听评课。",
            "学习课程：微课程设计、评价量规的设计与应用。",
            "实践反思：在课堂中使用后，学生的参与度明显提高，下一步将继续改进。",
        ],
    )
    return _upload(f"{point.code}提升总结.docx", content, DOCX)


RUBRIC_TOPIC = "评价量规设计与应用"  # the activities demo's topic, on A13 and G2


def _hours_for(group, leader, teachers, cycle_start) -> None:
    """25 hours for `teachers`: three offline activities (10 + 10 + 5) of the
    group on past days, with evidence, so the ledger credits them. They sit
    under the group's 评价量规 topic, or its first topic, or one made here on
    A13 and G2: a topic carries the points its title names."""
    # The group's 评价量规 topic, else its first topic (any topic holds offline
    # work; a new one on points outside the group's plan would be a finding
    # of the consistency page that the demo does not mean to show).
    topic = (
        Topic.objects.filter(group=group, title=RUBRIC_TOPIC).first()
        or Topic.objects.filter(group=group).order_by("pk").first()
    )
    if topic is None:
        theme = SchoolTheme.objects.filter(school_id=group.school_id).first()
        keys = list(theme.key_points.all()) if theme else []
        points = [p for p in keys if p.code in ("A13", "G2")] or keys
        if not points:
            return
        topic = activities.topic_create(
            group=group,
            by=leader,
            title=RUBRIC_TOPIC,
            description="围绕评价量规的设计与使用开展集体备课、磨课与研讨。",
            key_points=points,
        )
        activities.topic_publish(topic=topic, by=leader)
    today = timezone.localdate()
    for days_ago, hours, title in ((20, 10, "集体备课"), (15, 10, "磨课"), (12, 5, "课后研讨")):
        day = max(today - datetime.timedelta(days=days_ago), cycle_start)
        activity = activities.activity_create(
            topic=topic,
            by=leader,
            kind="offline",
            title=f"评价量规{title}",
            description=f"线下{title}，组长上传签到表后计入学时。",
            held_on=day,
            opens_on=day,
            closes_on=day,
            hours_value=hours,
        )
        activities.activity_publish(activity=activity, by=leader)
        activities.participants_designate(activity=activity, by=leader, users=teachers)
        activities.evidence_add(
            activity=activity,
            by=leader,
            kind="sign_in",
            upload=_upload("签到表.pdf", _pdf("Sign-in sheet"), "application/pdf"),
            # The leader ticked "将为 N 名组员计入 n 学时".
            confirmed=evidence_would_credit(activity=activity),
        )


def _evidence(user, school, cycle, point) -> None:
    slots, _ = evidence_requirement(point)
    for slot in slots:
        for n in range(1, slot["count"] + 1):
            if "视频" in slot["kind"]:
                kw = {"link": f"https://video.example.com/demo/{user.username}/{point.code}"}
            else:
                kw = {
                    "upload": _upload(
                        f"{slot['kind']}{n}.pdf",
                        _pdf(f"{point.code} evidence {n}"),
                        "application/pdf",
                    )
                }
            services.evidence_save(
                teacher=user,
                school=school,
                cycle=cycle,
                point=point,
                kind=slot["kind"],
                position=n,
                **kw,
            )


def load(ctx) -> None:
    _load_materials(ctx)
    # Whole-school acceptance in 赤坎区 (its own module: it imports from this one).
    from . import demo_acceptance

    demo_acceptance.load(ctx)
    # The district's dashboard: more schools with staff and hours (its own module).
    from . import demo_district

    demo_district.load(ctx)


def _load_materials(ctx) -> None:
    school, cycle = ctx.school, ctx.cycle
    if ImprovementPlan.objects.filter(school=school).exists():
        return
    theme = SchoolTheme.objects.filter(school=school, cycle=cycle).first()
    keys = list(theme.key_points.order_by("sort_key", "code")) if theme else []
    if len(keys) < 3:
        return
    admin, info = ctx.users["school_admin"], ctx.users["info_team"]
    demo_teacher = ctx.users["teacher"]
    chinese = ResearchGroup.objects.get(school=school, name="语文组", archived_at__isnull=True)
    maths = ResearchGroup.objects.get(school=school, name="数学组", archived_at__isnull=True)

    def members(group) -> list:
        """The group's members other than its leader and the demo teacher."""
        return [
            m.user
            for m in GroupMember.objects.filter(group=group)
            .exclude(user_id__in=[group.leader_id, demo_teacher.pk])
            .select_related("user")
            .order_by("user__username")
        ]

    # 语文组: one complete and 待考核 (evaluation submitted: the leader's to check),
    # one with some summaries (evaluation returned). 数学组: passed (every point
    # 合格), passed (one point 不合格), failed with a reason. 英语组: a plan only.
    zh, ma = members(chinese), members(maths)
    if len(zh) < 2 or len(ma) < 3:
        return
    waiting, some = zh[0], zh[1]
    passed, mixed, failed = ma[0], ma[1], ma[2]
    english = ResearchGroup.objects.filter(school=school, name="英语组").first()
    plan_only = next(iter(members(english)), None) if english else None

    # 25 hours for the teachers who complete everything.
    _hours_for(chinese, chinese.leader, [waiting], cycle.starts_on)
    _hours_for(maths, maths.leader, [passed, mixed, failed], cycle.starts_on)

    def plan(user):
        services.plan_upload(
            teacher=user, school=school, cycle=cycle, upload=_plan_file(user, school, keys)
        )

    def points(user):
        services.point_choices_save(teacher=user, school=school, cycle=cycle, points=keys)

    def summaries(user, n=3):
        for point in keys[:n]:
            services.summary_upload(
                teacher=user,
                school=school,
                cycle=cycle,
                point=point,
                upload=_summary_file(user, point),
            )

    def submit(user, point):
        _evidence(user, school, cycle, point)
        return services.evaluation_submit(teacher=user, school=school, cycle=cycle, point=point)

    def membership(user):
        return SchoolMembership.objects.active().get(user=user, school=school)

    # The demo teacher: a plan, 3 points, 1 summary, evidence under way.
    plan(demo_teacher)
    points(demo_teacher)
    summaries(demo_teacher, 1)
    _evidence(demo_teacher, school, cycle, keys[0])
    # A plan but no points yet; some summaries.
    if plan_only:
        plan(plan_only)
    plan(some)
    points(some)
    summaries(some, 2)
    # Complete and 待考核; passed; failed with a reason.
    for user in (waiting, passed, mixed, failed):
        plan(user)
        points(user)
        summaries(user)
    for user in (passed, mixed):
        services.review_pass(membership=membership(user), cycle=cycle, by=admin)
    services.review_fail(
        membership=membership(failed),
        cycle=cycle,
        by=admin,
        reason=f"{keys[1].code} 的提升总结与能力点无关，请对照能力点重写后再上传",
    )

    # Evaluations: submitted (the leader's to check), returned, checked (the
    # info team's to test), 合格 for every point, and one 不合格.
    submit(waiting, keys[0])
    returned = submit(some, keys[0])
    services.evaluation_return(
        evaluation=returned, by=chinese.leader, reason="反思视频中没有出现教师本人，请重新录制"
    )
    checked = submit(failed, keys[0])
    services.evaluation_view(evaluation=checked, by=maths.leader)
    for point in keys:
        e = submit(passed, point)
        services.evaluation_view(evaluation=e, by=maths.leader)
        services.evaluation_assess(evaluation=e, by=info, result="passed", remarks="材料完整")
    for point in keys:
        e = submit(mixed, point)
        services.evaluation_view(evaluation=e, by=maths.leader)
        result = "failed" if point == keys[-1] else "passed"
        remarks = "学生成果缺少点评" if result == "failed" else ""
        services.evaluation_assess(evaluation=e, by=info, result=result, remarks=remarks)

    # Typical cases: 语文组 rated 一等, 数学组 unrated with a video link; the others none.
    case = services.case_create(
        group=chinese,
        cycle=cycle,
        by=chinese.leader,
        title="《秋天的雨》微课助学",
        design=_upload(
            "秋天的雨-教学设计.docx",
            _docx("《秋天的雨》教学设计", ["教学目标……", "教学过程……", "教学反思：……"]),
            DOCX,
        ),
        recording="offline",
    )
    services.case_rate(case=case, by=admin, rating="first")
    services.case_create(
        group=maths,
        cycle=cycle,
        by=maths.leader,
        title="分数的初步认识：评价量规的使用",
        design=_upload("分数-教学设计.pdf", _pdf("Lesson design"), "application/pdf"),
        recording="link",
        recording_url="https://video.example.com/demo/fractions",
    )
    # Issue 13: the school gave one teacher more time for their materials; the
    # daily job's reminders for today (activities closing in 3 days) are out.
    services.extension_grant_materials(
        membership=membership(some),
        cycle=cycle,
        until=cycle.ends_on + datetime.timedelta(days=20),
        reason="产假期间材料延后提交",
        by=admin,
    )
    reminders_run(today=timezone.localdate())
    ctx.logins.append(
        (
            "研修考核与能力点测评",
            f"school / info / {chinese.leader.username}",
            "学校：/school/review/；信息化团队：/school/evaluations/；组长：/leading/evaluations/",
        )
    )
