"""The operator's /admin/ reads in Chinese: every app and model name, including
third-party ones (django-axes: "AXES / Access attempts" before), and the
column headers of every list."""

import html
import re

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Acronyms a Chinese admin keeps as they are (IP 地址, GET 参数...).
ACRONYMS = re.compile(r"\b(IP|HTTP|GET|POST|ID|sha256|Accept)\b")


def english(text: str) -> bool:
    return bool(re.search(r"[A-Za-z]", ACRONYMS.sub("", text)))


def test_every_app_and_model_on_the_admin_index_is_named_in_chinese(cast, as_user):
    response = as_user(cast.operator).get(reverse("admin:index"))
    assert response.status_code == 200
    apps = response.context["app_list"]
    assert {app["app_label"] for app in apps} >= {"axes", "accounts", "groups", "hours"}
    for app in apps:
        assert not english(str(app["name"])), app["name"]
        for model in app["models"]:
            assert not english(str(model["name"])), f"{app['name']}: {model['name']}"
    body = response.content.decode()
    for heading in ("AXES", "Axes", "Access attempts", "Access logs", "Access failures"):
        assert heading not in body
    assert "登录保护" in body and "登录尝试" in body


def column_headers(body: str) -> list[str]:
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', body, flags=re.S)
    texts = [html.unescape(re.sub(r"<[^>]+>", " ", h)).strip() for h in headers]
    return [t for t in texts if t]


def test_every_list_in_the_admin_has_chinese_column_headers_and_filters(cast, as_user):
    AccessAttempt.objects.create(
        username="someone",
        ip_address="10.0.0.1",
        user_agent="WeChat",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=2,
    )
    client = as_user(cast.operator)
    found = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        labels = column_headers(body) + re.findall(r'data-filter-title="([^"]*)"', body)
        found += [f"{url}: {label}" for label in labels if english(label)]
    assert found == []


def test_an_access_attempt_reads_in_chinese(cast, as_user):
    attempt = AccessAttempt.objects.create(
        username="someone",
        ip_address="10.0.0.1",
        user_agent="WeChat",
        http_accept="*/*",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=2,
    )
    url = reverse("admin:axes_accessattempt_change", args=[attempt.pk])
    body = as_user(cast.operator).get(url).content.decode()
    labels = re.findall(
        r"<label[^>]*>(.*?)</label>|<h2[^>]*fieldset-heading[^>]*>(.*?)</h2>", body, flags=re.S
    )
    texts = [html.unescape(re.sub(r"<[^>]+>", "", a or b)).strip(" :：") for a, b in labels]
    assert "表单数据" in texts and "请求信息" in texts
    assert [t for t in texts if t and english(t)] == []


# ---- attack report 1 §11: the rest of the admin in Chinese ---------------------------


def visible_text(body: str) -> str:
    body = re.sub(r"<script.*?</script>|<style.*?</style>", "", body, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_the_user_add_page_explains_itself_in_chinese(cast, as_user):
    body = as_user(cast.operator).get(reverse("admin:accounts_user_add")).content.decode()
    assert "创建用户后，可以继续编辑该用户的更多信息。" in body
    assert "After you" not in visible_text(body)


def permission_options(body: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', body, flags=re.S)
    return [html.unescape(o).strip() for o in re.findall(r"<option[^>]*>(.*?)</option>", select[1])]


def test_permissions_read_in_chinese_for_users_and_groups(cast, as_user):
    client = as_user(cast.operator)
    user_page = client.get(reverse("admin:accounts_user_change", args=[cast.teacher.pk]))
    group_page = client.get(reverse("admin:auth_group_add"))
    for body, name in (
        (user_page.content.decode(), "user_permissions"),
        (group_page.content.decode(), "permissions"),
    ):
        options = permission_options(body, name)
        assert "人员与学校 | 研修周期 | 可修改研修周期" in options
        assert "登录保护 | 登录尝试 | 可添加登录尝试" in options
        assert [o for o in options if english(o)] == []


def test_cleared_records_name_what_they_archived(cast, as_user):
    from activities import services
    from groups.models import ClearedRecord
    from groups.services import teacher_remove

    from . import factories_activities as fa

    s = fa.group_setup(cast)
    a = fa.activity(s, "discussion")
    services.participation_join(activity=a, user=s.member)
    place = cast.teacher.memberships.get(removed_at__isnull=True)
    teacher_remove(membership=place, by=cast.school_admin, reason="调岗")
    assert ClearedRecord.objects.filter(model="activities.participation").exists()

    client = as_user(cast.operator)
    body = client.get(reverse("admin:groups_clearedrecord_changelist")).content.decode()
    text = visible_text(body)
    assert "活动参与" in text
    assert "activities.participation" not in text
    filtered = client.get(
        reverse("admin:groups_clearedrecord_changelist"), {"model": "activities.participation"}
    )
    assert "活动参与" in visible_text(filtered.content.decode())
    record = ClearedRecord.objects.filter(model="activities.participation").first()
    detail = client.get(reverse("admin:groups_clearedrecord_change", args=[record.pk]))
    assert "activities.participation" not in visible_text(detail.content.decode())
