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
