"""Typical cases rated by the school, who sees which groups have none; and each
role's home page saying what to do next in the assessment."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from assessment.models import TypicalCase

from . import factories_activities as fa
from . import factories_assessment as fm

pytest_plugins = ["tests.fixtures_assessment"]
pytestmark = pytest.mark.django_db


def a_case(cast, mats, title="秋天的雨"):
    return fm.case(cast, mats, title)


def test_the_school_sees_which_groups_have_no_case(cast, as_user, mats):
    a_case(cast, mats)
    body = as_user(cast.info_team).get(reverse("assessment:school_cases")).content.decode()
    missing = body.split('id="groups-without-case"')[1].split("</div>")[0]
    assert "数学组（组长 吴组长）" in missing and "语文组" not in missing
    assert "秋天的雨" in body and "线下提交" in body
    assert 'name="rating"' not in body  # the info team sees, the school admin rates


def test_the_school_admin_rates_a_case_and_the_leader_is_told(cast, as_user, mats):
    case = a_case(cast, mats)
    as_user(cast.school_admin).post(
        reverse("assessment:case_rate", args=[case.pk]), {"rating": "first"}
    )
    case.refresh_from_db()
    assert (case.rating, case.rated_by) == ("first", cast.school_admin)
    notice = Notification.objects.get(user=mats.leader, kind="typical_case")
    assert "评为一等" in notice.message
    page = as_user(mats.leader).get(reverse("assessment:cases")).content.decode()
    assert "一等" in page


def test_a_rated_case_cannot_be_deleted_an_unrated_one_can(cast, as_user, mats):
    rated, unrated = a_case(cast, mats, "甲"), a_case(cast, mats, "乙")
    as_user(cast.school_admin).post(
        reverse("assessment:case_rate", args=[rated.pk]), {"rating": "second"}
    )
    leader = as_user(mats.leader)
    response = leader.post(reverse("assessment:case_delete", args=[rated.pk]), follow=True)
    assert "学校已评定的典型案例不能删除" in " ".join(str(m) for m in response.context["messages"])
    leader.post(reverse("assessment:case_delete", args=[unrated.pk]))
    assert list(TypicalCase.objects.values_list("title", flat=True)) == ["甲"]


def test_a_leader_sees_only_their_groups_cases(cast, as_user, mats):
    a_case(cast, mats)
    page = as_user(mats.maths_leader).get(reverse("assessment:cases"))
    assert [g.name for g, _ in page.context["sections"]] == ["数学组"]
    assert "秋天的雨" not in page.content.decode()


# ---- home pages -----------------------------------------------------------------


def test_teacher_home_shows_the_four_steps_and_the_next_one(cast, as_user, mats):
    fm.give_hours(cast, cast.teacher, 25)
    body = as_user(cast.teacher).get(reverse("home")).content.decode()
    path = body.split('id="path"')[1]
    for key in ("hours", "plan", "points", "summaries"):
        assert f'data-step="{key}"' in path
    assert "下一步：去完成" in path.split('data-step="plan"')[1].split("</li>")[0]
    steps = dict(as_user(cast.teacher).get(reverse("home")).context["steps"])
    assert "下一步：上传个人提升计划（未上传）" in steps


def test_a_teacher_at_25_hours_is_not_told_only_to_join_more_activities(cast, as_user, mats):
    s = fa.Setup(
        mats.chinese,
        mats.leader,
        cast.teacher,
        cast.teacher2,
        mats.keys,
        mats.maths,
        mats.maths_leader,
    )
    fa.activity(s, "discussion")  # an open activity the teacher could still join
    fm.give_hours(cast, cast.teacher, 25)
    steps = [label for label, _ in as_user(cast.teacher).get(reverse("home")).context["steps"]]
    assert not any("开放中的研修活动" in label for label in steps)
    assert any(label.startswith("下一步：上传个人提升计划") for label in steps)
    # Below 25 the activities are still the way forward.
    steps = [label for label, _ in as_user(cast.teacher2).get(reverse("home")).context["steps"]]
    assert any("开放中的研修活动" in label for label in steps)


def test_teacher_home_shows_the_review_result(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    client = as_user(cast.teacher)
    assert "四项要求已全部完成，等待学校考核" in client.get(reverse("home")).content.decode()
    as_user(cast.school_admin).post(
        reverse("assessment:review_pass", args=[fm.place(cast.teacher).pk])
    )
    body = client.get(reverse("home")).content.decode()
    assert "研修考核已通过" in body


def test_school_admin_home_asks_to_review_complete_teachers(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    steps = dict(as_user(cast.school_admin).get(reverse("home")).context["steps"])
    assert steps["研修考核：1 位教师已完成，待考核"] == "assessment:review"
    assert steps["2 个教研组尚未上传典型案例"] == "assessment:school_cases"


def test_leader_home_asks_to_check_evidence_and_upload_a_case(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    fm.submit_evaluation(cast, cast.teacher, mats.keys[0])
    steps = dict(as_user(mats.leader).get(reverse("home")).context["steps"])
    assert steps["查看 1 份组员能力点测评材料"] == "assessment:leader_evaluations"
    assert steps["语文组：上传典型案例"] == "assessment:cases"


def test_info_team_home_links_to_the_evaluation(cast, as_user, mats):
    fm.choose(cast, cast.teacher, mats.keys[:3])
    fm.submit_evaluation(cast, cast.teacher, mats.keys[0])
    response = as_user(cast.info_team).get(reverse("home"))
    assert dict(response.context["steps"])["能力点测评：1 份材料待测评"] == "assessment:register"
    body = response.content.decode()
    assert f'<a href="{reverse("assessment:register")}">能力点测评</a>' in body


def test_menus_lead_to_the_new_pages(cast, as_user, mats):
    for user, label in (
        (cast.teacher, "我的研修"),
        (cast.school_admin, "研修考核"),
        (cast.info_team, "能力点测评"),
        (mats.leader, "组员测评"),
    ):
        client = as_user(user)
        if user == mats.leader:
            client.post(reverse("accounts:role_switch"), {"role": f"leader:{cast.school.pk}"})
        assert f">{label}</a>" in client.get(reverse("home")).content.decode()
