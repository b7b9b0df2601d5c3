"""研修考核 (seed 001 §十一): the school admin's table, the teacher's materials in
the page, passing one or all complete teachers, failing with a reason the
teacher sees, the count line, search/filters/sort, and the .xlsx export equal
to the page — all at a fixed number of queries."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Notification
from accounts.roles import grants_for
from assessment.models import ReviewDecision, TeacherReview

from . import factories_assessment as fm

pytest_plugins = ["tests.fixtures_assessment"]
pytestmark = pytest.mark.django_db

REVIEW = reverse("assessment:review")


def pass_url(user):
    return reverse("assessment:review_pass", args=[fm.place(user).pk])


def fail_url(user):
    return reverse("assessment:review_fail", args=[fm.place(user).pk])


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def result_of(user) -> str:
    review = TeacherReview.objects.filter(teacher=user).first()
    return review.result if review else "pending"


def test_the_table_has_the_columns_of_seed_001(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    body = as_user(cast.school_admin).get(REVIEW).content.decode()
    heads = re.findall(
        r"<th[^>]*>(.*?)</th>", body.split('id="review-table"')[1].split("</thead>")[0]
    )
    assert [re.sub(r"<[^>]+>|[ ↑↓]", "", h) for h in heads] == [
        "序号",
        "姓名",
        "身份证号",
        "所属教研组",
        "个人提升计划",
        "校本研修学时",
        "个人提升总结",
        "完成情况",
        "考核结果",
        "操作",
    ]
    assert cast.teacher.masked_id_number in body and cast.teacher.id_number not in body
    assert (
        cast.teacher.masked_id_number.startswith("440402") and "*" in cast.teacher.masked_id_number
    )


def test_pass_a_complete_teacher_who_is_told(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    response = as_user(cast.school_admin).post(pass_url(cast.teacher), follow=True)
    assert "李老师：考核通过" in messages_of(response)
    assert result_of(cast.teacher) == "passed"
    notice = Notification.objects.get(user=cast.teacher, kind="review_result")
    assert "已通过" in notice.message
    page = as_user(cast.teacher).get(reverse("assessment:mine")).content.decode()
    assert "研修考核已通过" in page


def test_an_incomplete_teacher_cannot_pass(cast, as_user, mats):
    fm.give_hours(cast, cast.teacher, 24)
    fm.plan(cast, cast.teacher)
    response = as_user(cast.school_admin).post(pass_url(cast.teacher), follow=True)
    assert "尚未完成全部要求" in messages_of(response)
    assert result_of(cast.teacher) == "pending"
    assert not ReviewDecision.objects.exists()


def test_fail_with_a_reason_the_teacher_sees(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    admin = as_user(cast.school_admin)
    assert "请填写原因" in messages_of(
        admin.post(fail_url(cast.teacher), {"reason": ""}, follow=True)
    )
    assert result_of(cast.teacher) == "pending"
    admin.post(fail_url(cast.teacher), {"reason": "A13 总结与能力点无关"})
    assert result_of(cast.teacher) == "failed"
    notice = Notification.objects.get(user=cast.teacher, kind="review_result")
    assert "未通过：A13 总结与能力点无关" in notice.message
    page = as_user(cast.teacher).get(reverse("assessment:mine")).content.decode()
    assert "研修考核未通过：A13 总结与能力点无关" in page
    home = as_user(cast.teacher).get(reverse("home")).content.decode()
    assert "A13 总结与能力点无关" in home


def test_after_a_failure_new_materials_put_the_teacher_back_to_pending(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    as_user(cast.school_admin).post(fail_url(cast.teacher), {"reason": "总结太简单"})
    fm.summary(cast, cast.teacher, mats.keys[1], name="重写的总结.pdf", content=fm.PDF)
    assert result_of(cast.teacher) == "pending"
    history = list(
        ReviewDecision.objects.filter(review__teacher=cast.teacher).values_list(
            "from_result", "to_result"
        )
    )
    assert history == [("pending", "failed"), ("failed", "pending")]
    as_user(cast.school_admin).post(pass_url(cast.teacher))
    assert result_of(cast.teacher) == "passed"


def test_a_passed_teachers_materials_are_locked(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    as_user(cast.school_admin).post(pass_url(cast.teacher))
    client = as_user(cast.teacher)
    response = client.post(
        reverse("assessment:plan_upload"), {"file": fm.upload("新计划.pdf")}, follow=True
    )
    assert "研修考核已通过" in messages_of(response) and "已锁定" in messages_of(response)
    assert 'id="plan-form"' not in client.get(reverse("assessment:mine")).content.decode()


def test_pass_twice_decides_once(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    admin = as_user(cast.school_admin)
    admin.post(pass_url(cast.teacher))
    admin.post(pass_url(cast.teacher))
    assert ReviewDecision.objects.count() == 1
    assert Notification.objects.filter(user=cast.teacher, kind="review_result").count() == 1


def test_pass_all_passes_only_complete_teachers_still_pending(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    fm.complete(cast, mats.maths_teacher, mats.keys[1:4])
    fm.complete(cast, mats.leader, mats.keys[:3])
    as_user(cast.school_admin).post(fail_url(mats.leader), {"reason": "计划未签字"})
    fm.give_hours(cast, cast.teacher2, 25)  # hours only: incomplete
    response = as_user(cast.school_admin).post(reverse("assessment:review_pass_all"), follow=True)
    assert "已通过 2 位材料齐全的教师" in messages_of(response)
    assert result_of(cast.teacher) == result_of(mats.maths_teacher) == "passed"
    assert result_of(mats.leader) == "failed"  # a 不通过 stays as decided
    assert result_of(cast.teacher2) == "pending"
    assert (
        Notification.objects.filter(kind="review_result", message__contains="已通过").count() == 2
    )


def test_the_count_line_and_the_bar(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    fm.complete(cast, mats.maths_teacher, mats.keys[:3])
    fm.complete(cast, mats.leader, mats.keys[:3])
    admin = as_user(cast.school_admin)
    admin.post(pass_url(cast.teacher))
    admin.post(fail_url(mats.leader), {"reason": "缺少签名"})
    body = admin.get(REVIEW).content.decode()
    # 6 teachers: 李老师, 王老师, 信息组老师, 周组长, 吴组长, 数学老师.
    assert "共 6 人 · 完成 3 · 通过 1 · 不通过 1" in body
    assert 'aria-label="通过" aria-valuenow="1"' in body
    assert "共 6 人 · 完成 3 · 通过 1 · 不通过 1" in admin.get(reverse("home")).content.decode()


def test_search_filters_and_sort(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    fm.give_hours(cast, cast.teacher2, 10)
    fm.give_hours(cast, mats.maths_teacher, 20)
    admin = as_user(cast.school_admin)
    as_user(cast.school_admin).post(pass_url(cast.teacher))

    def names(**params):
        page = admin.get(REVIEW, params)
        return [m.user.real_name for _, m, _, _ in page.context["lines"]]

    assert names(q="李") == ["李老师"]
    assert set(names(group=mats.maths.pk)) == {"吴组长", "数学老师"}
    assert names(completion="complete") == ["李老师"]
    assert "李老师" not in names(completion="incomplete")
    assert names(result="passed") == ["李老师"]
    assert "李老师" not in names(result="pending")
    assert names(sort="-hours")[:3] == ["李老师", "数学老师", "王老师"]
    assert names(sort="hours")[-3:] == ["王老师", "数学老师", "李老师"]
    # A group of another school is not a filter this school can use.
    from .factories_groups import group

    foreign = group(cast.other_school, "外校组", leader=cast.outsider)
    assert admin.get(REVIEW, {"group": foreign.pk}).status_code == 404


def test_the_materials_open_in_the_page(cast, as_user, mats):
    fm.complete(cast, cast.teacher, mats.keys[:3])
    url = reverse("assessment:review_teacher", args=[fm.place(cast.teacher).pk])
    panel = as_user(cast.school_admin).get(url, HTTP_HX_REQUEST="true")
    body = panel.content.decode()
    assert "<html" not in body  # a fragment for the htmx panel
    assert 'id="teacher-materials"' in body and "25/25" in body
    from assessment.models import ImprovementPlan

    plan = ImprovementPlan.objects.get(teacher=cast.teacher)
    assert reverse("assessment:plan_file", args=[plan.pk]) in body
    assert "A3 微课程设计与制作" in body and 'id="fail-form"' in body
    page = as_user(cast.school_admin).get(url).content.decode()
    assert "<html" in page and 'id="teacher-materials"' in page
    # The table links to it, for htmx and without.
    table = as_user(cast.school_admin).get(REVIEW).content.decode()
    assert f'hx-get="{url}' in table and f'href="{url}' in table


# ---- query counts and the export ------------------------------------------------


def request_cost(user) -> int:
    """Queries every logged-in page pays: session, user, role grants, unread count."""
    with CaptureQueriesContext(connection) as ctx:
        grants_for(user)
    return 3 + len(ctx.captured_queries)


class Cells(HTMLParser):
    """The text of each <td> of each body row of the review or register table."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag == "td":
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag == "td" and self.cell is not None:
            self.rows[-1].append(self.cell.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def table_rows(body: str, table_id: str) -> list[list[str]]:
    parser = Cells(table_id)
    parser.feed(body)
    return [r for r in parser.rows if r]


def all_pages(client, url, table_id, params) -> list[list[str]]:
    rows, page = [], 1
    while True:
        response = client.get(url, {**params, "page": page})
        rows += table_rows(response.content.decode(), table_id)
        if not response.context["page"].has_next():
            return rows
        page += 1


def xlsx_rows(response) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def test_review_page_costs_the_same_queries_at_30_and_300_teachers(
    cast, as_user, mats, django_assert_num_queries
):
    client = as_user(cast.school_admin)
    fm.grow(cast, mats, 30)
    client.get(REVIEW)
    # school, cycle, the groups for the filter, the paginator's count, one page of
    # teachers with plan/points/summaries/hours/review as subqueries, their group
    # names, the count line, whether the acceptance holds the results
    expected = request_cost(cast.school_admin) + 8
    with django_assert_num_queries(expected):
        client.get(REVIEW, {"group": mats.chinese.pk, "sort": "-hours"})
    with django_assert_num_queries(expected):
        client.get(REVIEW)
    fm.grow(cast, mats, 270, start=30)
    with django_assert_num_queries(expected):
        client.get(REVIEW, {"group": mats.chinese.pk, "sort": "-hours"})
    with django_assert_num_queries(expected):
        assert "共 306 人" in client.get(REVIEW).content.decode()
    # Export: school, cycle, groups, the rows (streamed), all group names; no
    # navbar, so no unread count.
    with django_assert_num_queries(request_cost(cast.school_admin) - 1 + 5):
        client.get(REVIEW, {"export": "xlsx"})


@pytest.mark.parametrize(
    "params", [{}, {"completion": "complete"}, {"result": "failed", "sort": "hours"}]
)
def test_the_export_of_300_teachers_equals_the_page(cast, as_user, mats, params):
    fm.grow(cast, mats, 300)
    client = as_user(cast.school_admin)
    shown = all_pages(client, REVIEW, "review-table", params)
    exported = xlsx_rows(client.get(REVIEW, {**params, "export": "xlsx"}))
    assert exported[0] == [
        "序号",
        "姓名",
        "身份证号",
        "所属教研组",
        "个人提升计划",
        "校本研修学时",
        "个人提升总结",
        "完成情况",
        "考核结果",
    ]
    # The page's cells without 操作.
    assert exported[1:] == [row[:-1] for row in shown]
    assert len(shown) > 10
    assert all("*" in row[2] for row in exported[1:])  # ID numbers masked
