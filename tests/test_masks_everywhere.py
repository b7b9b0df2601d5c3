"""ID numbers show only their region prefix (DESIGN §2, issue 16 §1).

The format is pinned ("440402" and seven asterisks, nothing of the birth date
or the last four), and every page, export and generated download that anyone
but the operator can open is scanned for the ID numbers of everyone in the
data: the URLs come from Django's resolver through the ladder table
(tests/ladder.py), each opened by every person of the test world in each of
their roles, plain, searched (?q=) and exported (?export=xlsx); .xlsx, .docx
and .zip answers are unpacked and every part read, and so is the one-time
password .xlsx a page carries as a data: URL."""

import base64
import html
import io
import re
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook

from accounts.demo_ids import make_id_number
from accounts.idnumbers import mask_id_number
from accounts.models import SchoolMembership, User
from accounts.roles import grants_for
from groups.services import school_plan_save

from . import world as w
from .conftest import login
from .urlwalk import app_urls, call

pytestmark = pytest.mark.django_db

MASK = re.compile(r"^\d{6}\*{7}$")


# ---- the format -----------------------------------------------------------------


@pytest.mark.parametrize(
    "number", ["44040219900101123X", "440881198512310018", make_id_number(4242)]
)
def test_the_mask_is_the_region_prefix_and_seven_asterisks(number):
    masked = mask_id_number(number)
    assert masked == number[:6] + "*******"
    assert MASK.match(masked)
    # Nothing of the birth date or the last four survives.
    assert number[6:14] not in masked and number[-4:] not in masked


def test_every_person_shows_the_pinned_format(cast):
    for user in (cast.teacher, cast.outsider, cast.school_admin):
        assert user.masked_id_number == f"{user.id_number[:6]}*******"


def test_the_roster_and_the_removal_search_show_the_format_beside_each_name(cast, as_user):
    w.build(cast)
    admin = as_user(cast.school_admin)
    roster = admin.get(reverse("accounts:roster")).content.decode()
    incomer = User.objects.get(real_name="外区调入老师")
    assert incomer.id_number.startswith("440881")
    for user in (cast.teacher, cast.teacher2, incomer):
        row = roster.split(user.real_name, 1)[1].split("</tr>", 1)[0]
        assert f">{user.id_number[:6]}*******<" in row, user.real_name
    search = admin.get(reverse("groups:removals"), {"q": "外区"}).content.decode()
    assert "440881*******" in search and incomer.id_number not in search


# ---- the scan -------------------------------------------------------------------


def _parts(label: str, data: bytes):
    """(label, text) of `data` and of everything packed inside it."""
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                yield f"{label}!{info.filename}", info.filename
                yield from _parts(f"{label}!{info.filename}", archive.read(info))
        return
    # XML parts (a sheet, a .docx) may write text as character references.
    text = html.unescape(data.decode("utf-8", errors="replace"))
    yield label, text
    # A download carried inside the page (the one-time password .xlsx).
    for m in re.finditer(r"data:[\w/.+-]+;base64,([A-Za-z0-9+/=]+)", text):
        yield from _parts(f"{label}!data-url", base64.b64decode(m.group(1)))


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def leaks(text: str, numbers: list[str]) -> list[str]:
    """Full numbers, and anything after a region prefix but the seven asterisks."""
    found = [n for n in numbers if n in text]
    for prefix in {n[:6] for n in numbers}:
        for m in re.finditer(re.escape(prefix) + r"[0-9Xx*]*", text):
            if m.group() != prefix + "*******":
                found.append(m.group())
    return found


def identities(world):
    """(label, client) for every person of the world but the operator, once in
    each role they hold (the role switcher), and the removed teacher."""
    for label, user in {**world.people, "removed": world.nobody}.items():
        grants = grants_for(user) or [None]
        for grant in grants:
            client = login(user)
            if grant is not None:
                client.post(reverse("accounts:role_switch"), {"role": grant.key})
            yield f"{label}/{grant.role if grant else 'none'}", client, grant


def lets_in(rung, grant) -> bool:
    return rung.signed_in or (grant is not None and grant.role in rung.roles)


def _plan(cast):
    """The school's 两案 (its .docx is a download with people in it)."""
    school_plan_save(
        school=cast.school,
        cycle=cast.cycle,
        fields={"principal": "赵校长", "contact_person": "赵校管", "goal_basic": "人人达标"},
        team=[
            {"name": "李老师", "age": "40", "education": "本科", "major": "中文", "title": "组长"}
        ],
        points=[],
        schedule=[{"when": "九月", "content": "集中培训", "owner": "李老师"}],
        by=cast.school_admin,
    )


def test_no_page_or_export_shows_an_id_number(cast):
    _plan(cast)  # before the world submits its acceptance, which holds the plan
    world = w.build(cast)
    numbers = w.all_id_numbers()
    assert len(numbers) > 15
    failures, seen, masks_seen = [], 0, 0
    for who, client, grant in identities(world):
        for name, url, rung in app_urls(world):
            if rung.method != "get" or rung.public is not None or not lets_in(rung, grant):
                continue
            first = call(client, "get", url)
            variants = [(url, first)]
            if first.status_code == 200 and "html" in first.get("Content-Type", ""):
                for extra in ("?q=老师", "?export=xlsx", "?q=老师&export=xlsx"):
                    variants.append((url + extra, call(client, "get", url + extra)))
            for shown, response in variants:
                if response.status_code != 200:
                    continue
                seen += 1
                for label, text in _parts(f"{who} {name} {shown}", body(response)):
                    masks_seen += len(re.findall(r"\d{6}\*{7}", text))
                    if found := leaks(text, numbers):
                        failures.append(f"{label}: {sorted(set(found))}")
    assert not failures, "\n".join(failures)
    assert seen > 300 and masks_seen > 20  # the scan looked at pages that show people


def test_pages_a_school_admin_gets_back_from_a_form_show_no_id_number(cast, as_user):
    """The answers to the roster's POSTs: a reset password, an import."""
    w.build(cast)
    numbers = w.all_id_numbers()
    admin = as_user(cast.school_admin)
    place = SchoolMembership.objects.get(user=cast.teacher2)
    answers = [admin.post(reverse("accounts:teacher_password_reset", args=[place.pk]))]
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "手机号", "身份证号", "学科", "学段", "是否专任教师"])
    ws.append(["新来的老师", "13712345678", make_id_number(8801), "语文", "小学", "是"])
    ws.append(["李老师", cast.teacher.phone, cast.teacher.id_number, "语文", "小学", "是"])
    file = io.BytesIO()
    wb.save(file)
    file.seek(0)
    file.name = "名单.xlsx"
    done = admin.post(reverse("accounts:roster_import"), {"file": file})
    assert "password-slip" in done.content.decode()  # the one-time slip is in it
    answers.append(done)
    failures = []
    for response in answers:
        for label, text in _parts(response.request["PATH_INFO"], body(response)):
            if found := leaks(text, numbers + [make_id_number(8801)]):
                failures.append(f"{label}: {found}")
    assert not failures, failures
