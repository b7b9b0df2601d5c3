"""Roster writes under 20 identical requests at once (a double tap, a retried
upload on a bad line), through the real URLs, for real on PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiaoben \\
        .venv/bin/pytest tests/test_accounts_concurrency.py

Each stores once and none answers 500; a transfer attaches the person once.
"""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from accounts.demo_ids import make_id_number
from accounts.models import Notification, PasswordReset, SchoolMembership, User

from .concurrency import postgres_only, run_at_once

pytestmark = postgres_only("concurrent roster writes cannot overlap there")

N = 20


def clients(user, n=N):
    out = []
    for _ in range(n):
        client = Client()
        client.force_login(user)
        out.append(client)
    return out


def test_twenty_identical_add_teacher_posts_store_one_person(cast):
    data = {
        "real_name": "钱多多",
        "phone": "13612345678",
        "id_number": make_id_number(9401),
        "stage": "小学",
    }
    url = reverse("accounts:teacher_create")
    results = run_at_once(
        *[lambda c=c: c.post(url, data).status_code for c in clients(cast.school_admin)]
    )
    assert set(results) <= {200, 302}, results
    assert User.objects.filter(id_number=data["id_number"]).count() == 1
    assert SchoolMembership.objects.filter(user__id_number=data["id_number"]).count() == 1


def test_twenty_adds_of_one_transferred_teacher_attach_them_once(cast):
    SchoolMembership.objects.filter(user=cast.outsider).update(removed_at=timezone.now())
    data = {
        "real_name": cast.outsider.real_name,
        "phone": cast.outsider.phone,
        "id_number": cast.outsider.id_number,
    }
    url = reverse("accounts:teacher_create")
    results = run_at_once(
        *[lambda c=c: c.post(url, data).status_code for c in clients(cast.school_admin)]
    )
    assert set(results) <= {200, 302}, results
    assert SchoolMembership.objects.active().filter(user=cast.outsider).count() == 1


def roster_file() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "手机号", "身份证号"])
    for n in range(30):
        ws.append([f"教师{n}", f"1371234{n:04d}", make_id_number(9800 + n)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_twenty_uploads_of_one_roster_at_once_store_each_teacher_once(cast):
    content = roster_file()
    url = reverse("accounts:roster_import")

    def upload(client):
        # (Read the page, not response.context: the test client's context capture
        # is shared between threads.)
        response = client.post(url, {"file": SimpleUploadedFile("r.xlsx", content)})
        found = re.search(r"新增 (\d+) 人", response.content.decode())
        return response.status_code, int(found.group(1)) if found else None

    results = run_at_once(*[lambda c=c: upload(c) for c in clients(cast.school_admin)])
    assert {status for status, _ in results} == {200}
    assert User.objects.filter(real_name__startswith="教师").count() == 30
    assert SchoolMembership.objects.filter(user__real_name__startswith="教师").count() == 30
    created = sorted(n for _, n in results if n is not None)
    # One upload made the accounts (and showed their passwords); the rest found them made.
    assert created == [0] * (N - 1) + [30]


def test_twenty_resets_at_once_leave_one_password_per_audit_row(cast):
    membership = SchoolMembership.objects.get(user=cast.teacher)
    url = reverse("accounts:teacher_password_reset", args=[membership.pk])

    def reset(client):
        body = client.post(url).content.decode()
        return re.search(r'id="one-time-password">([^<]+)<', body).group(1)

    passwords = run_at_once(*[lambda c=c: reset(c) for c in clients(cast.school_admin)])
    cast.teacher.refresh_from_db()
    # Every reset was whole: its audit row and notice; the stored password is one of those shown.
    assert PasswordReset.objects.filter(user=cast.teacher).count() == N
    assert Notification.objects.filter(user=cast.teacher, kind="password_reset").count() == N
    assert sum(cast.teacher.check_password(p) for p in passwords) == 1
