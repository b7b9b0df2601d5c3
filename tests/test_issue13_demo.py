"""The demo shows issue 13's story: an activity closing today and one in three
days with their countdowns, an extension the demo teacher sees, reminders the
daily job sent, an offline activity waiting for evidence on the leader's home,
and people behind on the school's 未完成情况."""

import re

import pytest
from django.urls import reverse

from accounts.models import Reminder, User
from activities.models import Activity, Extension

from .conftest import login
from .test_issue9_demo import load

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_demo_shows_countdowns_an_extension_and_people_behind():
    load()
    teacher = User.objects.get(username="t001")
    board = text(login(teacher).get(reverse("activities:mine")))
    assert "信息技术支持的课堂提问设计" in board and "今天截止" in board
    row = board.split("上传一节微课的制作脚本")[1][:200]
    assert "还剩 10 天" in row and "已为你延期至" in row
    script = Activity.objects.get(title="上传一节微课的制作脚本")
    assert Extension.objects.filter(activity=script, teacher=teacher).exists()
    # The daily job reminded those who have not done it, not the extended teacher.
    assert Reminder.objects.filter(kind=f"activity:{script.pk}").exists()
    assert not Reminder.objects.filter(user=teacher).exists()
    leader = login(User.objects.get(username="t009"))
    leader.post(reverse("accounts:role_switch"), {"role": f"leader:{script.group.school_id}"})
    home = text(leader.get(reverse("home")))
    assert "线下听课：低年级识字教学" in home and "尚未上传佐证材料" in home
    assert "我自己的研修（教师）" in home
    admin = login(User.objects.get(username="school"))
    lacking = admin.get(reverse("assessment:lacking"))
    assert lacking.context["counts"].lacking > 10
    extended = Extension.objects.get(scope="materials").teacher
    one = text(admin.get(reverse("assessment:lacking"), {"q": extended.real_name}))
    assert "材料已延期至" in one
