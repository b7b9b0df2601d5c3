"""Every list page costs a fixed number of queries whatever its size (issue 16
§7; DESIGN §3). These are the list pages, exports and downloads that had no
such test (the roster, the school's groups and hours, the district lists, the
activity lists, the discussion, the coverage boards and the claims have theirs
beside their features). Each is opened at two sizes, with the same count, and
the larger page shows the rows it grew by.

Every signed-in page pays REQUEST (the session, the user, and the role grants:
one query joining region roles, the school place and the groups' 教研组长 provider) and, when it
renders the navbar, UNREAD (the unread-message count). The comment on each
test names the queries after those.
"""

import html
import io
import zipfile

import pytest
from django.urls import reverse

from accounts.models import SchoolMembership
from accounts.notices import notify
from activities import services
from activities.models import ObservationQuestion
from groups.models import GroupMember, ResearchGroup, SchoolTheme
from groups.selectors import ability_points_for
from groups.services import school_plan_save, teacher_remove

from . import factories as f
from . import factories_activities as fa
from . import world as w
from .conftest import login

pytestmark = pytest.mark.django_db

REQUEST = 3  # session, user, the role grants (one query, accounts.roles)
UNREAD = 1  # the navbar's unread-message count


@pytest.fixture
def world(cast):
    return w.build(cast)


@pytest.fixture
def fixed(django_assert_num_queries):
    """fixed(client, url, n, grow, count): the page costs n queries before and
    after grow(); count(body) rises, so the second page really is larger."""

    def check(client, url, n, grow, count):
        assert client.get(url).status_code == 200  # warm the session and caches
        with django_assert_num_queries(n):
            small = client.get(url)
        grow()
        client.get(url)  # pages that mark things read (the inbox) do it once
        with django_assert_num_queries(n):
            large = client.get(url)
        assert count(body(large)) > count(body(small))

    return check


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # .xlsx / .zip: the names of its parts and their text
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            # Sheet XML writes Chinese as character references (&#22995;).
            return "\n".join(
                name + "\n" + html.unescape(archive.read(name).decode("utf-8", errors="replace"))
                for name in archive.namelist()
            )
    return content.decode("utf-8", errors="replace")


def teachers(cast, n: int, prefix: str, group=None, **place):
    made = [f.teacher(cast.school, f"{prefix}{i:02d}", **place) for i in range(n)]
    if group is not None:
        GroupMember.objects.bulk_create(GroupMember(group=group, user=t) for t in made)
    return made


def as_role(user, role: str, school):
    client = login(user)
    client.post(reverse("accounts:role_switch"), {"role": f"{role}:{school.pk}"})
    return client


# ---- groups --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["school_admin", "leader", "teacher"])
def test_group_detail(world, fixed, who):
    """The group page the issue names (a per-row query took it from 11 to 31)."""
    cast, s = world.cast, world.s
    user = {"school_admin": cast.school_admin, "leader": s.leader, "teacher": s.member}[who]
    # + the group (access helper, with leader and school), the members with their
    #   subject (one query, a subquery on the school place)
    fixed(
        login(user),
        reverse("groups:detail", args=[s.group.pk]),
        REQUEST + UNREAD + 2,
        lambda: teachers(cast, 20, "组员甲", group=s.group, subject="数学"),
        lambda page: page.count("组员甲"),
    )


def test_my_groups(world, fixed):
    cast, s = world.cast, world.s

    def grow():
        for i in range(10):
            g = ResearchGroup.objects.create(school=cast.school, name=f"兴趣组{i}", leader=s.leader)
            GroupMember.objects.create(group=g, user=s.member)

    # + the groups with their leaders and member counts (one query)
    fixed(
        login(s.member),
        reverse("groups:mine"),
        REQUEST + UNREAD + 1,
        grow,
        lambda p: p.count("兴趣组"),
    )


@pytest.mark.parametrize("search", ["", "?q=候选"])
def test_member_candidates(world, fixed, search):
    cast, s = world.cast, world.s
    # + the group (the leader's access helper), one page of the candidates
    #   with their subject and how many there are in all (a window count)
    fixed(
        login(s.leader),
        reverse("groups:member_add", args=[s.group.pk]) + search,
        REQUEST + UNREAD + 2,
        lambda: teachers(cast, 20, "候选教师", subject="语文"),
        lambda p: p.count("候选教师"),
    )


def test_removal_search_and_audit_list(world, fixed):
    cast = world.cast

    def grow():
        for t in teachers(cast, 8, "调出老师"):
            place = SchoolMembership.objects.get(user=t)
            teacher_remove(membership=place, by=cast.school_admin, reason="调岗")
        teachers(cast, 12, "在校老师")

    # + the school, the audit rows' count and page (with school, teacher, actor),
    #   the search's candidates (at most 20, with their user)
    fixed(
        login(cast.school_admin),
        reverse("groups:removals") + "?q=老师",
        REQUEST + UNREAD + 4,
        grow,
        lambda p: p.count("调出老师") + p.count("在校老师"),
    )


def test_district_removals(world, fixed):
    cast = world.cast

    def grow():
        for i in range(10):
            school = f.school(cast.district, f"区内学校{i}")
            t = f.teacher(school, f"区内调出{i}")
            teacher_remove(
                membership=SchoolMembership.objects.get(user=t), by=cast.school_admin, reason="调岗"
            )

    # + the region (the scope), the count, one page of rows (school, teacher, actor)
    fixed(
        login(cast.district_admin),
        reverse("groups:district_removals"),
        REQUEST + UNREAD + 3,
        grow,
        lambda p: p.count("区内调出"),
    )


def test_theme_and_its_key_points(world, fixed):
    cast = world.cast

    def grow():
        # Written directly: the world's acceptance is submitted, which holds the theme.
        theme, _ = SchoolTheme.objects.update_or_create(
            school=cast.school, cycle=cast.cycle, defaults={"title": "信息技术支持的精准教学"}
        )
        theme.key_points.set(list(ability_points_for(school=cast.school)[:12]))

    # + the school, the cycle, the theme, its key points, the school's settings
    #   and its framework, whether the acceptance holds the theme
    fixed(
        login(cast.school_admin),
        reverse("groups:theme"),
        REQUEST + UNREAD + 7,
        grow,
        lambda p: p.split('id="key-points"')[1].split("</ul>")[0].count("<li"),
    )


def test_school_plan_and_its_point_rows(cast, fixed):
    def plan(n):
        school_plan_save(
            school=cast.school,
            cycle=cast.cycle,
            fields={"principal": "赵校长"},
            team=[{"name": f"成员{i}"} for i in range(n)],
            points=[
                {"point": p, "reason": "理由"} for p in ability_points_for(school=cast.school)[:n]
            ],
            schedule=[{"when": f"第{i}月", "content": "培训"} for i in range(n)],
            by=cast.school_admin,
        )

    plan(1)
    # + the school, the cycle, the plan, its point rows with their points, the
    #   person who last saved it, whether the acceptance holds it
    fixed(
        login(cast.school_admin),
        reverse("groups:plan"),
        REQUEST + UNREAD + 6,
        lambda: plan(12),
        lambda p: p.count("成员"),
    )


# ---- accounts ------------------------------------------------------------------


def test_inbox(world, fixed):
    s = world.s

    def grow():
        for i in range(25):
            notify(users=[s.member], message=f"第{i}条通知")

    # session, user; the paginator's count, one page of notices, the unread
    # count on the page; the navbar's role grants (one query) and unread count
    fixed(
        login(s.member),
        reverse("accounts:inbox"),
        2 + 3 + 1 + UNREAD,
        grow,
        lambda p: p.count("条通知"),
    )


# ---- activities ----------------------------------------------------------------


def test_groups_led(world, fixed):
    cast, s = world.cast, world.s
    ResearchGroup.objects.create(school=cast.school, name="第二个组", leader=s.leader)

    def grow():
        for i in range(10):
            ResearchGroup.objects.create(school=cast.school, name=f"所领组{i}", leader=s.leader)

    # + the groups led, with their school
    fixed(
        login(s.leader),
        reverse("activities:leading"),
        REQUEST + UNREAD + 1,
        grow,
        lambda p: p.count("所领组"),
    )


def joined_members(world, n: int, prefix: str):
    s = world.s
    made = teachers(world.cast, n, prefix, group=s.group)
    return made


def test_observation_results(world, fixed):
    a = world.objects["observation"]

    def grow():
        for t in joined_members(world, 10, "评课老师"):
            services.participation_join(activity=a, user=t)
            services.observation_submit(activity=a, user=t, raw_answers=fa.answers_for(a))

    # + the activity (the leader's access helper), its questions, the responses
    #   with their authors, the comments counted per 30 s of the video
    fixed(
        login(world.s.leader),
        reverse("activities:observation_results", args=[a.pk]),
        REQUEST + UNREAD + 4,
        grow,
        lambda p: p.count("评课老师"),
    )


def test_homework_page_with_every_submission(world, fixed):
    a = world.objects["homework"]

    def grow():
        for t in joined_members(world, 10, "交作业老师"):
            services.participation_join(activity=a, user=t)
            services.homework_submit(
                activity=a, user=t, text="作业", files=[fa.upload("设计.pdf", fa.PDF)]
            )

    # + the activity with the leader's membership, participation and extension
    #   (延期, they are a member too: one query), their own submission and its
    #   files; every submission with authors and its files
    fixed(
        login(world.s.leader),
        reverse("activities:detail", args=[a.pk]),
        REQUEST + UNREAD + 5,
        grow,
        lambda p: p.count("交作业老师"),
    )


def test_homework_zip(world, fixed):
    a = world.objects["homework"]

    def grow():
        for t in joined_members(world, 10, "打包老师"):
            services.participation_join(activity=a, user=t)
            services.homework_submit(
                activity=a, user=t, text="作业", files=[fa.upload("设计.pdf", fa.PDF)]
            )

    # + the activity (access helper), every submission with its author, their
    #   files (no navbar: a download)
    fixed(
        login(world.s.leader),
        reverse("activities:homework_zip", args=[a.pk]),
        REQUEST + 3,
        grow,
        lambda p: p.count("打包老师"),
    )


def test_offline_page_with_participants_and_evidence(world, fixed):
    a = world.objects["offline"]
    leader = world.s.leader

    def grow():
        made = joined_members(world, 10, "线下老师")
        # Evidence stands: the leader confirms the ten credits (attack report 1 §2).
        services.participants_designate(activity=a, by=leader, users=made, confirmed=len(made))
        for i in range(5):
            services.evidence_add(
                activity=a,
                by=leader,
                kind="photo",
                upload=fa.upload(f"现场{i}.png", fa.PNG, "image/png"),
            )

    # + the activity with the leader's membership and participation, the evidence
    #   with uploaders, the members left to designate, whether evidence stands,
    #   the participants with their users, the designate form's choices, the
    #   check-in sheet and its check-ins
    fixed(
        login(leader),
        reverse("activities:detail", args=[a.pk]),
        REQUEST + UNREAD + 8,
        grow,
        lambda p: p.count("线下老师") + p.count("现场"),
    )


def test_observation_page_with_its_questions(world, fixed):
    leader = world.s.leader
    a = fa.activity(world.s, "observation", publish=False)  # questions change until answered

    def grow():
        for i in range(10):
            services.observation_question_add(
                activity=a,
                by=leader,
                kind="text",
                prompt=f"第{i}题：板书如何",
                max_score=10,
                choices=[],
            )

    # + the activity with the leader's membership, participation and extension
    #   (延期), their response, the form's questions with its header, the
    #   comments on moments, the number of responses
    fixed(
        login(leader),
        reverse("activities:detail", args=[a.pk]),
        REQUEST + UNREAD + 5,
        grow,
        lambda p: p.count("题：板书如何"),
    )
    assert ObservationQuestion.objects.filter(form__activity=a).count() > 10


# ---- home pages ----------------------------------------------------------------


def test_teacher_home(world, fixed):
    s = world.s

    def grow():
        t = fa.topic(s)
        for i in range(10):
            fa.activity(s, "discussion", t=t, title=f"开放研讨{i}")

    # + the cycle, the 我的研修 progress with the hours, what
    #   else is lacking and the teacher's extension (one query), this cycle's
    #   activities of the groups they belong to with the teacher's state and
    #   extensions (one), the teacher's groups (my_groups_card)
    fixed(
        as_role(s.member, "teacher", world.cast.school),
        reverse("home"),
        REQUEST + UNREAD + 4,
        grow,
        lambda p: p.count("开放研讨"),
    )


def test_leader_home(world, fixed):
    cast, s = world.cast, world.s

    def grow():
        for i in range(6):
            ResearchGroup.objects.create(school=cast.school, name=f"新领组{i}", leader=s.leader)

    # + the groups led with member counts, the cycle, the school's key points,
    #   the counts by point and kind, the counts by kind, the offline
    #   activities waiting for evidence, the evaluations to check, the members
    #   behind, the groups' typical cases, the groups' hours figures; and the
    #   leader's own teacher tasks (they teach too): what they lack, this
    #   cycle's activities of the groups they belong to; whether the
    #   acceptance holds the groups' 研修计划
    fixed(
        as_role(s.leader, "leader", cast.school),
        reverse("home"),
        REQUEST + UNREAD + 13,
        grow,
        lambda p: p.count("新领组"),
    )


def test_info_team_home(world, fixed):
    cast = world.cast

    def grow():
        for i in range(6):
            ResearchGroup.objects.create(school=cast.school, name=f"信息看组{i}")
        teachers(cast, 20, "信息看老师")

    # + the school, the cycle, the school's kept figures (its counts and hours:
    #   assessment's SchoolStats), the theme and its key points, the plan, the
    #   groups, the counts of teachers in groups, the evaluations waiting, the
    #   95% gate; the consistency count (with the plan and groups above: the
    #   topics with their points in one query, the activities' days and kinds,
    #   the groups' plan points); with no 两案 yet, whether the acceptance
    #   holds it (the step to write it is offered only if not)
    fixed(
        as_role(cast.info_team, "info_team", cast.school),
        reverse("home"),
        REQUEST + UNREAD + 14,
        grow,
        lambda p: int(p.split("共组建 ")[1].split(" ")[0]),
    )


def test_district_home(world, fixed):
    cast = world.cast

    def grow():
        for i in range(15):
            f.teacher(f.school(cast.district, f"辖区学校{i:02d}"))

    # + the region (the scope), the cycle, the schools by stage with their
    #   figures summed (one aggregate over the kept per-school rows, which also
    #   says how many have none yet: none once the page has been seen; 组建中
    #   is also the step "督促 N 所尚未组建教研组的学校"), the acceptance scheme,
    #   the acceptances waiting for experts or a decision (one aggregate)
    fixed(
        login(cast.district_admin),
        reverse("home"),
        REQUEST + UNREAD + 5,
        grow,
        lambda p: int(p.split("辖区内共有学校 <strong>")[1].split("<")[0]),
    )


# ---- exports ---------------------------------------------------------------------


def test_roster_export(world, fixed):
    cast = world.cast
    # + the school, every teacher with their user (no navbar: a download)
    fixed(
        login(cast.school_admin),
        reverse("accounts:roster") + "?export=xlsx",
        REQUEST + 2,
        lambda: teachers(cast, 30, "名单老师"),
        lambda p: p.count("名单老师"),
    )


def test_school_hours_export(world, fixed):
    cast = world.cast
    # + the cycle, the groups (the filter's choices), the group names by
    #   teacher, every teacher with their hours (subqueries) (no navbar: a
    #   download; the school's id and name come with the roles)
    fixed(
        login(cast.school_admin),
        reverse("hours:school") + "?export=xlsx",
        REQUEST + 4,
        lambda: teachers(cast, 30, "学时老师", group=world.s.group),
        lambda p: p.count("学时老师"),
    )


def test_group_hours_export(world, fixed):
    cast, s = world.cast, world.s
    # + the cycle, the groups led, every member with their hours (subqueries)
    #   (no navbar: a download)
    fixed(
        as_role(s.leader, "leader", cast.school),
        reverse("hours:group") + "?export=xlsx",
        REQUEST + 3,
        lambda: teachers(cast, 30, "组学时老师", group=s.group),
        lambda p: p.count("组学时老师"),
    )


def test_district_schools_export(
    world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The district's schools .xlsx is built by a task (its queries at two sizes:
    tests/test_district_exports.py); the download costs the same whatever it holds."""
    from assessment.models import DistrictExport

    cast = world.cast
    client = login(cast.district_admin)

    def download() -> str:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("assessment:district_export_start"), {"kind": "schools"})
        export = DistrictExport.objects.filter(kind="schools").latest("pk")
        url = reverse("assessment:district_export_file", args=[export.key])
        # + the export (access helper, with its cycle) (no navbar: a download)
        with django_assert_num_queries(REQUEST + 1):
            response = client.get(url)
        return body(response)

    small = download()
    for i in range(20):
        f.teacher(f.school(cast.district, f"导出学校{i:02d}"))
    large = download()
    assert small.count("导出学校") == 0 and large.count("导出学校") == 20


def test_district_id_refusals(world, fixed):
    """Attack report 1 §1: the audit of ID numbers the district's schools were refused."""
    from accounts.models import IdNumberRefusal

    cast = world.cast
    IdNumberRefusal.objects.create(
        school=cast.school, by=cast.school_admin, masked_id_number="440402*******", via="import"
    )

    def grow():
        for i in range(10):
            school = f.school(cast.district, f"拒绝记录学校{i}")
            IdNumberRefusal.objects.create(
                school=school, by=cast.school_admin, masked_id_number="440402*******", via="form"
            )

    # + the region (the scope), the count, one page of rows (school, actor)
    fixed(
        login(cast.district_admin),
        reverse("accounts:district_id_refusals"),
        REQUEST + UNREAD + 3,
        grow,
        lambda p: p.count("拒绝记录学校"),
    )


# ---- assessment (audit of issue 16 §7) ---------------------------------------------


def _cases(cast, leader, n: int, start: int = 0, prefix: str = "案例组") -> None:
    """`n` more groups led by `leader`, each with a typical case of the cycle,
    written directly: the world's acceptance is submitted, which holds the
    school's cases against new uploads (what is measured is the list)."""
    from assessment.models import TypicalCase

    for i in range(start, start + n):
        group = ResearchGroup.objects.create(school=cast.school, name=f"{prefix}{i}", leader=leader)
        TypicalCase.objects.create(
            group=group,
            cycle=cast.cycle,
            title=f"典型案例{i:03d}",
            file="cases/设计.pdf",
            original_name="设计.pdf",
            size=1000,
            content_type="application/pdf",
            recording="link",
            recording_url="https://v.example.com/1",
            uploaded_by=leader,
        )


def test_the_district_scheme(cast, fixed):
    from assessment.models import ProofItem, RubricItem

    from . import factories_acceptance as fx

    scheme = fx.scheme(cast, publish=False)

    def grow():
        dimension = RubricItem.objects.create(scheme=scheme, title="新增维度", order=90)
        for i in range(15):
            RubricItem.objects.create(
                scheme=scheme, parent=dimension, title=f"新增指标{i:02d}", max_points=2, order=i
            )
            ProofItem.objects.create(
                scheme=scheme, number=100 + i, content=f"新增证明{i:02d}", form="文本"
            )

    # + the cycle, the scheme, its rubric, its checklist, whether any school
    #   submitted (frozen) or was decided
    fixed(
        login(cast.district_admin),
        reverse("assessment:scheme"),
        REQUEST + UNREAD + 6,
        grow,
        lambda p: p.count("新增指标") + p.count("新增证明"),
    )


def test_the_leaders_cases(world, fixed):
    cast, s = world.cast, world.s
    _cases(cast, s.leader, 2)
    # + the cycle, the groups led, their cases with uploaders, whether the
    #   acceptance holds the cases (the world's is submitted: it does, so no
    #   upload form is drawn)
    fixed(
        as_role(s.leader, "leader", cast.school),
        reverse("assessment:cases"),
        REQUEST + UNREAD + 4,
        lambda: _cases(cast, s.leader, 12, start=2),
        lambda p: p.count("典型案例0"),
    )


def test_the_teachers_points(cast, fixed):
    from groups.models import SchoolSettings

    from . import factories_assessment as fm

    mats = fm.mats_setup(cast)
    fm.choose(cast, cast.teacher, mats.keys[:3])

    def grow():
        SchoolSettings.objects.update_or_create(
            school=cast.school,
            defaults={"teachers_choose_any_point": True, "framework": mats.keys[0].framework},
        )
        fm.choose(cast, cast.teacher, mats.keys)
        for point in mats.keys:
            fm.summary(cast, cast.teacher, point)

    # + the school, the cycle, the teacher's materials (plan, choices,
    #   summaries, evaluations, review), the school's settings and framework,
    #   the theme, its key points, the points offered, whether the acceptance
    #   holds the choices
    fixed(
        login(cast.teacher),
        reverse("assessment:points"),
        REQUEST + UNREAD + 13,
        grow,
        lambda p: p.count('name="points"'),
    )


def test_the_acceptance_copy_of_the_cases(world, fixed):
    cast = world.cast
    # + the cycle, the region and the school (the scope), the cases with
    #   group, uploader and rater
    fixed(
        login(cast.district_admin),
        reverse("assessment:evidence_cases", args=[cast.school.pk]),
        REQUEST + UNREAD + 4,
        lambda: _cases(cast, world.s.other_leader, 10),
        lambda p: p.count("典型案例0"),
    )


PROBE_RR = {"evidence_review": 5, "evidence_register": 7}


@pytest.mark.parametrize("view", ["evidence_review", "evidence_register"])
def test_the_acceptance_copies_of_review_and_register(cast, fixed, view):
    from . import factories_assessment as fm

    mats = fm.mats_setup(cast)
    fm.grow(cast, mats, 16)
    # + the cycle, the region and the school (the scope), the group names;
    #   review: the teachers with their materials (one query with subqueries);
    #   register: the evaluations, their evidence, the choices
    #   (no navbar: a download)
    fixed(
        login(cast.district_admin),
        reverse(f"assessment:{view}", args=[cast.school.pk]),
        REQUEST + PROBE_RR[view],
        lambda: fm.grow(cast, mats, 48, start=16),
        lambda p: p.count("教师0"),
    )


def test_the_school_plan_export(cast, fixed):
    def plan(n):
        school_plan_save(
            school=cast.school,
            cycle=cast.cycle,
            fields={"principal": "赵校长"},
            team=[{"name": f"成员{i}"} for i in range(n)],
            points=[
                {"point": p, "reason": "理由"} for p in ability_points_for(school=cast.school)[:n]
            ],
            schedule=[{"when": f"第{i}月", "content": "培训"} for i in range(n)],
            by=cast.school_admin,
        )

    plan(1)
    # + the school, the cycle, the plan, its point rows with their points
    #   (no navbar: a download)
    fixed(
        login(cast.school_admin),
        reverse("groups:plan_export"),
        REQUEST + 4,
        lambda: plan(12),
        lambda p: p.count("成员"),
    )
