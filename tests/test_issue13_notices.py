"""Notices as a channel (issue 13): accounts.notices.notify stays the one entry
point; the inbox always, then the channels the settings name, after commit. An
e-mail goes out (Django's locmem backend here) only when the deployment
configured mail and the person has an address; a further channel (a WeChat
template message, later) plugs in through the setting without touching any
caller."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Notification
from accounts.notices import Notice, notify

from . import factories_activities as fa

pytestmark = pytest.mark.django_db

CAPTURED: list = []


def capture_channel(rows):
    """A stand-in for a later channel (a WeChat template message)."""
    CAPTURED.extend((r.user_id, r.message) for r in rows)


@pytest.fixture
def mail_on(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTICE_EMAIL = True
    settings.SITE_URL = "https://xiaoben.example.cn"


def test_a_notice_is_mailed_only_to_people_with_an_address(
    cast, mail_on, django_capture_on_commit_callbacks
):
    cast.teacher.email = "li@example.cn"
    cast.teacher.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[cast.teacher, cast.teacher2], message="研修活动将于明天截止。", link="/x/")
    assert Notification.objects.count() == 2  # the inbox: both
    assert len(mail.outbox) == 1  # e-mail: only the one with an address
    sent = mail.outbox[0]
    assert sent.to == ["li@example.cn"]
    assert sent.subject == "校本研修平台：研修活动将于明天截止"
    assert "研修活动将于明天截止。" in sent.body and "https://xiaoben.example.cn/x/" in sent.body


def test_no_mail_when_the_deployment_configured_none(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.NOTICE_EMAIL = False
    cast.teacher.email = "li@example.cn"
    cast.teacher.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[cast.teacher], message="学时已计入。")
    assert Notification.objects.count() == 1 and mail.outbox == []


def test_no_mail_for_an_action_that_rolled_back(cast, mail_on, django_capture_on_commit_callbacks):
    cast.teacher.email = "li@example.cn"
    cast.teacher.save()
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(users=[cast.teacher], message="不会发出的消息")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and mail.outbox == [] and not Notification.objects.exists()


def test_a_further_channel_plugs_in_through_the_setting(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.NOTICE_CHANNELS = [
        "accounts.notices.email_channel",
        "tests.test_issue13_notices.capture_channel",
    ]
    CAPTURED.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            notices=[
                Notice(cast.teacher.pk, "各人不同的消息一"),
                Notice(cast.teacher2.pk, "消息二"),
            ]
        )
    assert [(cast.teacher.pk, "各人不同的消息一"), (cast.teacher2.pk, "消息二")] == CAPTURED


def test_a_reminder_from_the_list_is_mailed_too(
    cast, mail_on, as_user, django_capture_on_commit_callbacks
):
    s = fa.group_setup(cast)
    a = fa.activity(s, "homework", title="要交的作业")
    s.member.email = "li@example.cn"
    s.member.save()
    with django_capture_on_commit_callbacks(execute=True):
        as_user(s.leader).post(
            reverse("activities:activity_remind", args=[a.pk]),
            {"message": "{姓名}老师，请提交作业。", "who": [s.member.pk, s.member2.pk]},
        )
    assert [m.to for m in mail.outbox] == [["li@example.cn"]]
    assert mail.outbox[0].body.startswith("李老师老师，请提交作业。")


def test_a_person_sets_and_clears_their_notice_address(cast, as_user):
    client = as_user(cast.teacher)
    page = client.post(reverse("accounts:email"), {"email": "不是邮箱"})
    assert "请输入有效的邮箱地址" in page.content.decode()
    client.post(reverse("accounts:email"), {"email": " li@example.cn "})
    cast.teacher.refresh_from_db()
    assert cast.teacher.email == "li@example.cn"
    client.post(reverse("accounts:email"), {"email": ""})
    cast.teacher.refresh_from_db()
    assert cast.teacher.email == ""
