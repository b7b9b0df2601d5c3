"""Issue 8 points 4 and 11, issue 11's lockout and removed-teacher pages: failed
logins all cost one run of the default hasher; the lockout counts against the
account and the real client address; the pages say what to do next."""

from unittest import mock

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher, get_hasher
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import SchoolMembership, User
from accounts.passwords import InitialPasswordHasher, password_hash_initial

from . import factories as f

pytestmark = pytest.mark.django_db


def test_the_tests_default_hasher_is_the_one_counted():
    assert isinstance(get_hasher("default"), MD5PasswordHasher)


def _account(cast, kind):
    if kind == "unknown":
        return "13900000000"
    if kind == "default hash":
        return cast.teacher.phone
    user = cast.teacher2
    if kind == "initial hash":
        user.password = password_hash_initial("Abcdefgh23")
        user.must_change_password = True
    else:  # an account without a usable password
        user.set_unusable_password()
    user.save()
    return user.phone


@pytest.mark.parametrize("kind", ["unknown", "default hash", "initial hash", "unusable"])
def test_every_failed_login_runs_the_default_hasher_once(cast, kind):
    login = _account(cast, kind)
    with mock.patch.object(MD5PasswordHasher, "encode", autospec=True) as encode:
        encode.side_effect = lambda self, password, salt: f"md5${salt}$x"
        response = Client().post(
            reverse("accounts:login"), {"username": login, "password": "wrong-password"}
        )
    assert response.status_code == 200
    assert encode.call_count == 1


def test_an_initial_password_is_upgraded_to_the_default_hash_at_first_login(cast):
    _account(cast, "initial hash")
    assert cast.teacher2.password.startswith(InitialPasswordHasher.algorithm + "$")
    response = Client().post(
        reverse("accounts:login"), {"username": cast.teacher2.phone, "password": "Abcdefgh23"}
    )
    assert response.status_code == 302
    cast.teacher2.refresh_from_db()
    assert cast.teacher2.password.startswith("md5$")


def test_phone_and_username_share_the_five_tries_of_one_account(cast):
    client = Client()
    for login in [cast.teacher.phone] * 3 + [cast.teacher.username] * 2:
        client.post(reverse("accounts:login"), {"username": login, "password": "x"})
    response = client.post(
        reverse("accounts:login"), {"username": cast.teacher.phone, "password": "pass-word-123"}
    )
    assert response.status_code == 429


def _fail(client, login, addr, forwarded="", times=5):
    for _ in range(times):
        client.post(
            reverse("accounts:login"),
            {"username": login, "password": "x"},
            REMOTE_ADDR=addr,
            HTTP_X_FORWARDED_FOR=forwarded,
        )


def test_behind_the_trusted_proxy_a_stranger_cannot_lock_a_teacher_out(cast, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    _fail(Client(), cast.teacher.phone, proxy, forwarded="203.0.113.9")
    stranger = Client().post(
        reverse("accounts:login"),
        {"username": cast.teacher.phone, "password": "pass-word-123"},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert stranger.status_code == 429
    teacher = Client().post(
        reverse("accounts:login"),
        {"username": cast.teacher.phone, "password": "pass-word-123"},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert teacher.status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_header_changes_nothing(cast, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client()
    for n in range(5):  # a new forged address each time
        _fail(client, cast.teacher.phone, "198.51.100.20", forwarded=f"1.2.3.{n}", times=1)
    response = client.post(
        reverse("accounts:login"),
        {"username": cast.teacher.phone, "password": "pass-word-123"},
        REMOTE_ADDR="198.51.100.20",
        HTTP_X_FORWARDED_FOR="9.9.9.9",
    )
    assert response.status_code == 429


def test_only_the_address_our_proxy_appended_counts(cast, settings):
    """A client can prepend anything to X-Forwarded-For; with one proxy, only
    the right-most entry (what nginx saw) is the client."""
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client()
    for n in range(5):
        _fail(client, cast.teacher.phone, "10.0.0.2", forwarded=f"1.2.3.{n}, 203.0.113.9", times=1)
    response = client.post(
        reverse("accounts:login"),
        {"username": cast.teacher.phone, "password": "pass-word-123"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert response.status_code == 429


def test_the_lockout_page_leads_back_to_the_login_page(cast):
    client = Client()
    _fail(client, cast.teacher.phone, "127.0.0.1")
    response = client.post(
        reverse("accounts:login"), {"username": cast.teacher.phone, "password": "x"}
    )
    assert response.status_code == 429
    body = response.content.decode()
    assert "15 分钟后再试" in body
    assert f'href="{reverse("accounts:login")}"' in body


def test_a_removed_teacher_is_told_what_happened_and_whom_to_ask(cast, as_user):
    SchoolMembership.objects.filter(user=cast.teacher).update(removed_at=timezone.now())
    body = as_user(cast.teacher).get(reverse("home")).content.decode()
    assert "调岗" in body and cast.school.name in body
    assert "新学校" in body and "学校管理员" in body
    assert "账号尚未分配到任何学校" not in body


def test_a_person_with_no_place_ever_still_gets_the_plain_message(db, as_user):
    lone = f.person("无角色")
    body = as_user(lone).get(reverse("home")).content.decode()
    assert "尚未分配" in body
    assert User.objects.filter(pk=lone.pk).exists()
