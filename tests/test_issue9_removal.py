"""调岗移除 clears a teacher's records so that nothing counts or shows them again
(DESIGN §2, issue 9 §1), seen through the real pages as each role.

The story: 李老师 (cast.teacher) has hours from a discussion, a homework and an
offline activity, has filled in an observation form, and is designated on a
second offline activity that has no evidence yet. The school admin removes
her. Then every list, count, zip and export of the school leaves her out,
evidence uploaded afterwards credits nobody removed, and when another school
adds her she starts there at 0 with nothing of the old school to see.
"""

import io
import zipfile
from dataclasses import dataclass

import openpyxl
import pytest
from django.urls import reverse

from accounts.models import Notification, SchoolMembership
from activities import services
from activities.models import (
    Activity,
    Like,
    ObservationResponse,
    Participation,
    Post,
    Submission,
    SubmissionFile,
)
from groups.models import ClearedRecord, GroupMember, TeacherRemoval
from hours.models import HoursEntry
from hours.selectors import hours_totals
from hours.services import CreditRefused, hours_credit

from . import factories_activities as fa

pytestmark = pytest.mark.django_db

VIEW = "评价量规要在课前发给学生，让他们清楚目标和标准。"


@dataclass
class Story:
    s: fa.Setup
    talk: Activity
    homework: Activity
    observe: Activity
    offline_done: Activity
    offline_waiting: Activity


def _evidence(client, a, name="签到表.pdf"):
    return client.post(
        reverse("activities:evidence_add", args=[a.pk]),
        fa.evidence_data(a, "sign_in", fa.upload(name, fa.PDF, "application/pdf")),
    )


@pytest.fixture
def story(cast, as_user) -> Story:
    s = fa.group_setup(cast)
    t = fa.topic(s)
    talk = fa.activity(s, "discussion", t=t)
    homework = fa.activity(s, "homework", t=t)
    observe = fa.activity(s, "observation", t=t)
    offline_done = fa.activity(s, "offline", t=t, hours=8)
    offline_waiting = fa.activity(s, "offline", t=t, hours=6)
    for member in (s.member, s.member2):
        client = as_user(member)
        for a in (talk, homework, observe):
            client.post(reverse("activities:join", args=[a.pk]))
        client.post(
            reverse("activities:post_new", args=[talk.pk]),
            {**fa.once(), "body": f"{member.real_name}：{VIEW}"},
        )
        client.post(
            reverse("activities:homework_submit", args=[homework.pk]),
            {"text": "教学反思", "files": [fa.upload("设计.pdf", fa.PDF, "application/pdf")]},
        )
        client.post(
            reverse("activities:observation_submit", args=[observe.pk]), fa.answers_for(observe)
        )
    # Each likes the other's post.
    for liker, author in ((s.member, s.member2), (s.member2, s.member)):
        post = Post.objects.get(activity=talk, author=author)
        as_user(liker).post(reverse("activities:like", args=[post.pk]))
    leader = as_user(s.leader)
    for a in (offline_done, offline_waiting):
        leader.post(
            reverse("activities:designate", args=[a.pk]), {"users": [s.member.pk, s.member2.pk]}
        )
    _evidence(leader, offline_done)
    assert hours_totals(teacher=s.member, cycle=cast.cycle).recorded == 2 + 5 + 5 + 8
    return Story(s, talk, homework, observe, offline_done, offline_waiting)


def _remove(cast, as_user, user, reason="调往霞山区第二小学"):
    place = SchoolMembership.objects.get(user=user, removed_at__isnull=True)
    response = as_user(cast.school_admin).post(
        reverse("hours:teacher_remove", args=[place.pk]), {"reason": reason, "confirm": "on"}
    )
    assert response.status_code == 302
    return TeacherRemoval.objects.get(teacher=user)


def test_the_confirmation_page_says_what_each_app_will_clear(cast, as_user, story):
    place = SchoolMembership.objects.get(user=cast.teacher)
    text = as_user(cast.school_admin).get(reverse("hours:teacher_remove", args=[place.pk]))
    text = text.content.decode()
    assert "4 条学时记录、共 20 学时将被冲销" in text
    assert "5 条活动参与（含指定参与）、1 条研讨观点、1 份研修作业、1 份听课评课表" in text


def test_the_leaders_pages_no_longer_count_or_show_the_removed_teacher(cast, as_user, story):
    s = story.s
    leader = as_user(s.leader)
    before = {
        a.pk: (a.participant_count, a.completed_count)
        for a in leader.get(reverse("activities:group", args=[s.group.pk])).context["activities"]
    }
    assert before[story.talk.pk] == (2, 2) and before[story.offline_waiting.pk] == (2, 0)
    coverage_before = leader.get(reverse("activities:coverage", args=[s.group.pk])).context[
        "boards"
    ][0]

    _remove(cast, as_user, s.member)

    page = leader.get(reverse("activities:group", args=[s.group.pk]))
    after = {a.pk: (a.participant_count, a.completed_count) for a in page.context["activities"]}
    assert after == {
        story.talk.pk: (1, 1),
        story.homework.pk: (1, 1),
        story.observe.pk: (1, 1),
        story.offline_done.pk: (1, 1),
        story.offline_waiting.pk: (1, 0),
    }
    assert "参与 2 人" not in page.content.decode()

    # The offline pages: no longer listed as 已完成, no 取消指定 button for her.
    for a in (story.offline_done, story.offline_waiting):
        text = leader.get(reverse("activities:detail", args=[a.pk])).content.decode()
        assert "李老师" not in text and "王老师" in text
        undesignate = reverse("activities:undesignate", args=[a.pk, s.member.pk])
        assert undesignate not in text

    # The homework list and its zip.
    text = leader.get(reverse("activities:detail", args=[story.homework.pk])).content.decode()
    assert (
        "李老师" not in text
        and "王老师" in text
        and '组员提交 <span class="text-muted small">1 份' in text
    )
    zipped = leader.get(reverse("activities:homework_zip", args=[story.homework.pk]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content))).namelist()
    assert names and not any("李老师" in n for n in names)
    assert any("王老师" in n for n in names)

    # Her posts, and the like she received; the like she gave a colleague stays.
    text = leader.get(reverse("activities:detail", args=[story.talk.pk])).content.decode()
    assert f"李老师：{VIEW}" not in text and f"王老师：{VIEW}" in text
    assert Post.objects.get(author=s.member2).like_count == 1

    # Observation results.
    results = leader.get(reverse("activities:observation_results", args=[story.observe.pk]))
    assert [r.user for r in results.context["s"].responses] == [s.member2]
    assert "李老师" not in results.content.decode()

    # Coverage counts activities, which are the group's: unchanged.
    coverage = leader.get(reverse("activities:coverage", args=[s.group.pk])).context["boards"][0]
    assert coverage.points == coverage_before.points
    assert coverage.kind_totals == coverage_before.kind_totals


def test_the_school_lists_and_exports_leave_her_out_and_keep_the_others(cast, as_user, story):
    s = story.s
    admin = as_user(cast.school_admin)
    _remove(cast, as_user, s.member)
    page = admin.get(reverse("hours:school"))
    users = [m.user for m, _, _ in page.context["rows"]]
    assert s.member not in users and s.member2 in users
    export = admin.get(reverse("hours:school"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "李老师" not in names and "王老师" in names
    # 王老师 keeps everything: 2 + 5 + 5 + 8.
    assert hours_totals(teacher=s.member2, cycle=cast.cycle).recorded == 20
    leader_hours = as_user(s.leader).get(reverse("hours:group"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(leader_hours.content)).active
    assert "李老师" not in [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_audit_trail_keeps_what_was_cleared(cast, as_user, story):
    s = story.s
    stored = SubmissionFile.objects.get(submission__user=s.member).file.name
    removal = _remove(cast, as_user, s.member)
    assert removal.cleared["activities"] == {
        "designations": 2,
        "participations": 5,
        "posts": 1,
        "likes_received": 1,
        "submissions": 1,
        "submission_files": 1,
        "observation_responses": 1,
        "check_ins": 0,
        "video_comments": 0,
        "extensions": 0,
    }
    assert removal.cleared["hours_credits"] == 4
    kept = {r.model: r for r in ClearedRecord.objects.filter(removal=removal)}
    assert kept["activities.post"].data["body"] == f"李老师：{VIEW}"
    assert kept["activities.submissionfile"].files == [stored]
    assert set(kept) == {
        "activities.participation",
        "activities.post",
        "activities.like",
        "activities.submission",
        "activities.submissionfile",
        "activities.observationresponse",
    }
    # The live rows are gone; the file stays in storage for the operator.
    assert not Participation.objects.filter(user=s.member).exists()
    assert not Submission.objects.filter(user=s.member).exists()
    assert not ObservationResponse.objects.filter(user=s.member).exists()
    assert not Like.objects.filter(post__author=s.member).exists()
    from django.core.files.storage import default_storage

    assert default_storage.exists(stored)
    # Nothing of 王老师's was touched.
    assert Participation.objects.filter(user=s.member2).count() == 5
    assert Like.objects.filter(user=s.member).count() == 1  # the like she gave stays


def test_the_operator_opens_a_cleared_file_in_the_admin(cast, as_user, story):
    removal = _remove(cast, as_user, story.s.member)
    record = ClearedRecord.objects.get(removal=removal, model="activities.submissionfile")
    url = reverse("admin:groups_clearedrecord_file", args=[record.pk, 0])
    response = as_user(cast.operator).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == fa.PDF
    assert as_user(cast.school_admin).get(url).status_code == 302  # to the admin login
    page = as_user(cast.operator).get(
        reverse("admin:groups_teacherremoval_change", args=[removal.pk])
    )
    assert page.status_code == 200 and url in page.content.decode()


def test_evidence_uploaded_after_the_removal_credits_nobody_removed(cast, as_user, story):
    s = story.s
    removal = _remove(cast, as_user, s.member)
    leader = as_user(s.leader)
    response = _evidence(leader, story.offline_waiting, "签到表2.pdf")
    assert response.status_code == 302
    assert not HoursEntry.objects.filter(
        teacher=s.member, kind="credit", at__gt=removal.at
    ).exists()
    assert HoursEntry.objects.filter(
        teacher=s.member2, object_id=story.offline_waiting.pk, kind="credit"
    ).exists()
    assert hours_totals(teacher=s.member, cycle=cast.cycle).recorded == 0
    # Nor can anyone designate her again: she is nobody's member here any more.
    response = leader.post(
        reverse("activities:designate", args=[story.offline_waiting.pk]), {"users": [s.member.pk]}
    )
    assert not Participation.objects.filter(user=s.member).exists()


def test_the_ledger_refuses_to_credit_a_removed_teacher_for_that_school(cast, as_user, story):
    s = story.s
    _remove(cast, as_user, s.member)
    with pytest.raises(CreditRefused):
        hours_credit(
            teacher=s.member,
            cycle=cast.cycle,
            school=cast.school,
            source=story.offline_waiting,
            hours=6,
            category="线下活动",
        )
    # A participation row made behind the services' back completes nothing either.
    stray = Participation.objects.create(activity=story.offline_waiting, user=s.member)
    stray.activity = story.offline_waiting
    assert not services.participation_complete(participation=stray, by=s.leader, reason="x")
    assert hours_totals(teacher=s.member, cycle=cast.cycle).recorded == 0


def test_she_is_told_and_starts_at_zero_in_her_new_school(cast, as_user, story):
    s = story.s
    _remove(cast, as_user, s.member)
    messages = list(Notification.objects.filter(user=s.member).values_list("message", flat=True))
    assert any("移出赤坎第一小学" in m and "调往霞山区第二小学" in m for m in messages)
    assert any(m.startswith("撤销 20 学时：4 条学时记录") and "赵校管" in m for m in messages)

    # 霞山第二中学 adds her.
    SchoolMembership.objects.create(user=s.member, school=cast.other_school, is_teacher=True)
    page = as_user(s.member).get(reverse("hours:mine"))
    assert page.context["totals"].recorded == 0
    assert page.context["lines"] == []  # none of the old school's records
    text = page.content.decode()
    assert "讨论" not in text and story.talk.title not in text
    assert "原学校获得的 4 条学时记录（共 20 学时）已在调岗移除时撤销" in text
    # The new school sees her at 0 and nothing of the old school.
    other_admin = fa_other_admin(cast)
    rows = as_user(other_admin).get(reverse("hours:school")).context["rows"]
    assert [(m.user, t.recorded) for m, t, _ in rows if m.user == s.member] == [(s.member, 0)]
    board = as_user(s.member).get(reverse("activities:mine")).context["board"]
    assert not (board.open or board.done or board.remaining or board.missed)


def fa_other_admin(cast):
    from . import factories as f

    return f.school_admin(cast.other_school, "霞山校管")


def test_group_membership_stays_cleared_and_nothing_else_is_lost(cast, as_user, story):
    s = story.s
    _remove(cast, as_user, s.member)
    assert not GroupMember.objects.filter(user=s.member).exists()
    assert GroupMember.objects.filter(user=s.member2, group=s.group).exists()
    assert Activity.objects.filter(group=s.group).count() == 5


def test_the_audit_list_says_what_was_archived(cast, as_user, story):
    _remove(cast, as_user, story.s.member)
    for who, name in (
        (cast.school_admin, "groups:removals"),
        (cast.district_admin, "groups:district_removals"),
    ):
        text = as_user(who).get(reverse(name)).content.decode()
        assert "活动记录：5 条参与、1 条观点、1 份作业、1 份评课表已归档" in text
        assert "学时记录：4 条已冲销" in text
