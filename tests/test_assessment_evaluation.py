"""应用能力点测评: the teacher submits the evidence the catalogue asks for, the
group leader checks it (查看 / 退回 with a reason), the info team records
合格/不合格; the register (测评结果登记表) as a page and .xlsx; the 95% gate over
full-time teachers."""

import pytest
from django.urls import reverse

from accounts.models import Notification, SchoolMembership
from assessment.models import AbilityEvaluation
from assessment.selectors import evaluation_gate, evidence_requirement

from . import factories as f
from . import factories_assessment as fm
from .test_assessment_review import all_pages, request_cost, xlsx_rows

pytest_plugins = ["tests.fixtures_assessment"]
pytestmark = pytest.mark.django_db

REGISTER = reverse("assessment:register")


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def status_of(evaluation) -> str:
    evaluation.refresh_from_db()
    return evaluation.status


def test_the_default_requirement_is_seed_001s_b1_and_the_page_says_so(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    slots, default = evidence_requirement(mats.keys[0])
    assert default and [(s["kind"], s["count"]) for s in slots] == [
        ("学习活动方案或教学设计", 1),
        ("学生成果及点评", 2),
        ("教师反思视频（不超过 5 分钟）", 1),
    ]
    page = as_user(cast.teacher).get(reverse("assessment:evaluation", args=[mats.keys[0].pk]))
    body = page.content.decode()
    assert 'id="default-requirement"' in body and "不超过 5 分钟" in body
    assert body.count('name="position"') == 4


def test_a_point_with_evidence_in_the_catalogue_asks_for_that(cast, as_user, mats):
    point = mats.keys[0]
    point.evidence = [{"kind": "学情诊断方案", "count": 1}, {"kind": "数据可视化结果", "count": 1}]
    point.save()
    fm.choose(cast, cast.teacher, mats.keys[:3])
    body = (
        as_user(cast.teacher)
        .get(reverse("assessment:evaluation", args=[point.pk]))
        .content.decode()
    )
    assert "学情诊断方案" in body and "数据可视化结果" in body
    assert 'id="default-requirement"' not in body and body.count('name="position"') == 2


def test_submit_needs_every_item(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    point = mats.keys[0]
    client = as_user(cast.teacher)
    client.post(
        reverse("assessment:evidence_upload", args=[point.pk]),
        {"kind": "学习活动方案或教学设计", "position": 1, "file": fm.upload("方案.pdf")},
    )
    response = client.post(reverse("assessment:evaluation_submit", args=[point.pk]), follow=True)
    assert "还缺少：学生成果及点评 第 1 份、学生成果及点评 第 2 份、教师反思视频" in messages_of(
        response
    )
    assert AbilityEvaluation.objects.get().status == "draft"
    fm.fill_evidence(cast, cast.teacher, point)
    response = client.post(reverse("assessment:evaluation_submit", args=[point.pk]), follow=True)
    assert "已提交" in messages_of(response)
    assert AbilityEvaluation.objects.get().status == "submitted"


def test_leader_returns_with_a_reason_the_teacher_sees_then_views_the_resubmission(
    cast, as_user, mats
):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    evaluation = fm.submit_evaluation(cast, cast.teacher, mats.keys[0])
    leader = as_user(mats.leader)
    listing = leader.get(reverse("assessment:leader_evaluations")).content.decode()
    assert "李老师" in listing and "A3" in listing
    leader.post(
        reverse("assessment:evaluation_return", args=[evaluation.pk]),
        {"reason": "视频里没有教师本人"},
    )
    assert status_of(evaluation) == "returned"
    notice = Notification.objects.get(user=cast.teacher, kind="evaluation")
    assert "被退回：视频里没有教师本人" in notice.message
    page = as_user(cast.teacher).get(reverse("assessment:evaluation", args=[mats.keys[0].pk]))
    assert "教研组长退回：视频里没有教师本人" in page.content.decode()
    # The teacher replaces the video and submits again; the leader checks it.
    fm.submit_evaluation(cast, cast.teacher, mats.keys[0])
    assert status_of(evaluation) == "submitted"
    leader.post(reverse("assessment:evaluation_view", args=[evaluation.pk]))
    assert status_of(evaluation) == "viewed"
    assert evaluation.viewed_by == mats.leader


def test_a_return_needs_a_reason(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    evaluation = fm.submit_evaluation(cast, cast.teacher, mats.keys[0])
    response = as_user(mats.leader).post(
        reverse("assessment:evaluation_return", args=[evaluation.pk]), {"reason": " "}, follow=True
    )
    assert "请填写原因" in messages_of(response)
    assert status_of(evaluation) == "submitted"


def test_submitted_evidence_is_locked_until_returned(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    fm.submit_evaluation(cast, cast.teacher, mats.keys[0])
    response = as_user(cast.teacher).post(
        reverse("assessment:evidence_upload", args=[mats.keys[0].pk]),
        {"kind": "学习活动方案或教学设计", "position": 1, "file": fm.upload("新方案.pdf")},
        follow=True,
    )
    assert "测评材料已提交，不能修改" in messages_of(response)


def test_info_team_records_the_result_and_the_teacher_is_told(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    evaluation = fm.submit_evaluation(cast, cast.teacher, mats.keys[0])
    as_user(mats.leader).post(reverse("assessment:evaluation_view", args=[evaluation.pk]))
    info = as_user(cast.info_team)
    assert (
        "组长 周组长"
        in info.get(reverse("assessment:evaluation_detail", args=[evaluation.pk])).content.decode()
    )
    info.post(
        reverse("assessment:evaluation_assess", args=[evaluation.pk]),
        {"result": "failed", "remarks": "学生成果缺少点评"},
    )
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.assessed_by, evaluation.remarks) == (
        "failed",
        cast.info_team,
        "学生成果缺少点评",
    )
    assert (
        "测评结果：不合格（学生成果缺少点评）"
        in Notification.objects.get(user=cast.teacher, kind="evaluation").message
    )
    # A correction to 合格 is recorded too.
    info.post(reverse("assessment:evaluation_assess", args=[evaluation.pk]), {"result": "passed"})
    assert status_of(evaluation) == "passed"


def test_nobody_assesses_their_own_evaluation(cast, as_user, mats):
    fm.choose(cast, cast.info_team, mats.keys[:3])
    evaluation = fm.submit_evaluation(cast, cast.info_team, mats.keys[0])
    response = as_user(cast.info_team).post(
        reverse("assessment:evaluation_assess", args=[evaluation.pk]),
        {"result": "passed"},
        follow=True,
    )
    assert "不能测评自己的材料" in messages_of(response)
    assert status_of(evaluation) == "submitted"


def test_a_leader_sees_only_their_groups_members(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    fm.choose(cast, mats.maths_teacher, mats.keys[:3])
    mine = fm.submit_evaluation(cast, cast.teacher, mats.keys[0])
    theirs = fm.submit_evaluation(cast, mats.maths_teacher, mats.keys[0])
    leader = as_user(mats.leader)
    listed = [e for e, _ in leader.get(reverse("assessment:leader_evaluations")).context["rows"]]
    assert listed == [mine]
    url = reverse("assessment:leader_evaluation", args=[theirs.pk])
    assert leader.get(url).status_code == 404
    assert leader.post(reverse("assessment:evaluation_view", args=[theirs.pk])).status_code == 404
    assert status_of(theirs) == "submitted"


def test_a_leader_does_not_check_their_own(cast, as_user, mats):
    fm.choose(cast, mats.leader, mats.keys[:3])
    own = fm.submit_evaluation(cast, mats.leader, mats.keys[0])
    leader = as_user(mats.leader)
    assert leader.get(reverse("assessment:leader_evaluation", args=[own.pk])).status_code == 404
    assert own not in [
        e for e, _ in leader.get(reverse("assessment:leader_evaluations")).context["rows"]
    ]


def test_a_teacher_sees_only_their_own_evaluation(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    fm.choose(cast, cast.teacher2, mats.keys[1:4])
    # mats.keys[0] is not one of 王老师's points: the page is not theirs to see.
    url = reverse("assessment:evaluation", args=[mats.keys[0].pk])
    assert as_user(cast.teacher2).get(url).status_code == 404
    assert as_user(cast.teacher).get(url).status_code == 200


# ---- the register and the gate ------------------------------------------------------


def test_the_register_lists_every_chosen_point_with_its_evidence_and_result(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    evaluation = fm.submit_evaluation(cast, cast.teacher, mats.keys[0])
    as_user(cast.info_team).post(
        reverse("assessment:evaluation_assess", args=[evaluation.pk]),
        {"result": "passed", "remarks": "优秀案例"},
    )
    page = as_user(cast.info_team).get(REGISTER, {"q": "李老师"})
    lines = [line.cells() for _, line in page.context["lines"]]
    assert {c[2] for c in lines} == {
        "A3 微课程设计与制作",
        "A13 评价量规设计与应用",
        "G2 多技术融合环境下教研活动组织或参与",
    }
    a3 = next(c for c in lines if c[2].startswith("A3 "))
    assert a3[0:2] == ["李老师", "语文组"]
    assert (
        a3[3] == "学习活动方案或教学设计 1/1；学生成果及点评 2/2；教师反思视频（不超过 5 分钟） 1/1"
    )
    assert a3[4:7] == ["合格", "合格", "信息组老师"] and a3[8] == "优秀案例"
    other = next(c for c in lines if not c[2].startswith("A3 "))
    assert other[4:6] == ["待提交", "未测评"]


def test_gate_counts_full_time_teachers_whose_every_point_is_passed(cast, mats):
    from assessment.models import AbilityEvaluation as E

    # 20 full-time teachers: the 6 of the cast and mats, and 14 more.
    SchoolMembership.objects.filter(school=cast.school, is_teacher=True).update(is_full_time=True)
    for _ in range(14):
        f.teacher(cast.school)
    everyone = list(
        SchoolMembership.objects.teachers().filter(school=cast.school, is_full_time=True)
    )
    assert len(everyone) == 20
    part_time = f.teacher(cast.school, is_full_time=False)

    def pass_all(user, chosen=mats.keys[:3]):
        fm.choose(cast, user, chosen)
        for p in chosen:
            E.objects.create(
                teacher=user, school=cast.school, cycle=cast.cycle, point=p, status="passed"
            )

    for m in everyone[:18]:
        pass_all(m.user)
    pass_all(part_time)  # not full-time: does not count either way
    gate = evaluation_gate(school=cast.school, cycle=cast.cycle)
    assert (gate.full_time_total, gate.passed, gate.rate, gate.reached, gate.needed) == (
        20,
        18,
        90.0,
        False,
        1,
    )
    # The 19th: two of three points passed is not enough.
    nineteenth = everyone[18].user
    fm.choose(cast, nineteenth, mats.keys[:3])
    for p in mats.keys[:2]:
        E.objects.create(
            teacher=nineteenth, school=cast.school, cycle=cast.cycle, point=p, status="passed"
        )
    E.objects.create(
        teacher=nineteenth,
        school=cast.school,
        cycle=cast.cycle,
        point=mats.keys[2],
        status="failed",
    )
    assert evaluation_gate(school=cast.school, cycle=cast.cycle).passed == 18
    E.objects.filter(teacher=nineteenth, point=mats.keys[2]).update(status="passed")
    gate = evaluation_gate(school=cast.school, cycle=cast.cycle)
    assert (gate.passed, gate.rate, gate.reached) == (19, 95.0, True)


def test_the_register_page_shows_the_gate(cast, as_user, mats):
    body = as_user(cast.info_team).get(REGISTER).content.decode()
    assert "专任教师测评合格率：0.0%" in body and "未达到 95%" in body
    home = as_user(cast.info_team).get(reverse("home")).content.decode()
    assert reverse("assessment:register") in home and 'id="home-gate"' in home


def test_register_costs_the_same_queries_at_30_and_300_teachers(
    cast, as_user, mats, django_assert_num_queries
):
    client = as_user(cast.info_team)
    fm.grow(cast, mats, 30)
    client.get(REGISTER)
    # school, cycle, groups for the filter, the paginator's count, one page of
    # chosen points (teacher, point, status subquery), their evaluations, the
    # evaluations' evidence items, group names, the gate
    expected = request_cost(cast.info_team) + 9
    with django_assert_num_queries(expected):
        client.get(REGISTER)
    with django_assert_num_queries(expected):
        client.get(REGISTER, {"status": "submitted", "group": mats.chinese.pk})
    fm.grow(cast, mats, 270, start=30)
    with django_assert_num_queries(expected):
        client.get(REGISTER)
    with django_assert_num_queries(expected):
        client.get(REGISTER, {"status": "submitted", "group": mats.chinese.pk})
    # Export: school, cycle, groups, the rows (streamed), all evaluations, their
    # items, all group names; no navbar.
    with django_assert_num_queries(request_cost(cast.info_team) - 1 + 7):
        client.get(REGISTER, {"export": "xlsx"})


@pytest.mark.parametrize("params", [{}, {"status": "returned"}])
def test_the_register_export_of_300_teachers_equals_the_page(cast, as_user, mats, params):
    fm.grow(cast, mats, 300)
    client = as_user(cast.info_team)
    shown = all_pages(client, REGISTER, "register-table", params)
    exported = xlsx_rows(client.get(REGISTER, {**params, "export": "xlsx"}))
    assert exported[0] == [
        "序号",
        "姓名",
        "所属教研组",
        "应用能力点",
        "证据材料",
        "状态",
        "测评结果",
        "测评人",
        "测评日期",
        "备注",
    ]
    assert exported[1:] == [row[:-1] for row in shown]  # without the action column
    assert len(shown) > 30
