"""The 听课评课 results a leader reads: per question the average and the spread
(lowest–highest) as bars with the figures in a table, every response readable
on a phone (a card per response), and an .xlsx export of all responses."""

import io
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from activities import services
from activities.models import ObservationQuestion
from groups.models import GroupMember

from . import factories as f
from . import factories_activities as fa

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


def answer(a, user, scores: list[int], choice: str, text: str = "板书清晰，互动充分。"):
    """`user` joins and submits: the five scored items, the 总体评价, the texts."""
    answers = {}
    marks = iter(scores)
    for q in ObservationQuestion.objects.filter(form__activity=a).order_by("position"):
        if q.kind == "score":
            answers[f"q{q.pk}"] = str(next(marks))
        elif q.kind == "choice":
            answers[f"q{q.pk}"] = choice
        else:
            answers[f"q{q.pk}"] = text
    services.participation_join(activity=a, user=user)
    services.observation_submit(activity=a, user=user, raw_answers=answers)


@pytest.fixture
def answered(s):
    a = fa.activity(s, "observation", title="《秋天的雨》听评课")
    answer(a, s.member, [10, 8, 6, 4, 2], "优秀")
    answer(a, s.member2, [7, 8, 9, 3, 1], "良好", text='=HYPERLINK("http://x")')
    return a


def results(a):
    return reverse("activities:observation_results", args=[a.pk])


def export(a):
    return reverse("activities:observation_export", args=[a.pk])


def chart_data(body: str, element_id: str) -> dict:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', body)
    assert found, f"no chart data #{element_id}"
    return json.loads(found.group(1))


def test_each_scored_question_shows_its_average_and_spread(s, as_user, answered):
    body = as_user(s.leader).get(results(answered)).content.decode()
    # In words (the table every reader gets)...
    assert "平均 <strong>8.5</strong> / 10（最低 7，最高 10）" in body
    assert "平均 <strong>8.0</strong> / 10（最低 8，最高 8）" in body
    # ...and as bars: the averages, with a lowest–highest whisker each.
    chart = chart_data(body, "chart-scores")
    assert chart["series"][0]["data"] == [8.5, 8.0, 7.5, 3.5, 1.5]
    assert chart["range"] == {"name": "最低–最高", "low": [7, 8, 6, 3, 1], "high": [10, 8, 9, 4, 2]}
    assert chart["categories"][0] == "1. 教学目标明确，符合课程标准与学情"
    assert chart["max"] == 10
    # 总体评价 (single choice): how often each choice was made.
    overall = next(
        q for q in ObservationQuestion.objects.filter(form__activity=answered) if q.kind == "choice"
    )
    choices = chart_data(body, f"chart-choice-{overall.pk}")
    assert dict(zip(choices["categories"], choices["series"][0]["data"], strict=True)) == {
        "优秀": 1,
        "良好": 1,
        "合格": 0,
        "待改进": 0,
    }
    assert "js/charts.js" in body and "vendor/echarts/echarts.min.js" in body


def test_each_response_reads_as_a_card_on_a_phone(s, as_user, answered):
    body = as_user(s.leader).get(results(answered)).content.decode()
    table = body.split('id="responses"')[1].split("</table>")[0]
    # Every answer carries its question, shown above it when the row becomes a card.
    assert 'data-label="1. 教学目标明确，符合课程标准与学情">10</td>' in table
    assert 'data-label="6. 总体评价">良好</td>' in table
    assert 'class="table table-sm table-bordered small table-cards wrap-anywhere"' in body
    # On a desktop the table scrolls inside its own box, reachable by keyboard.
    assert 'class="table-scroll" tabindex="0" role="region"' in body


def test_the_export_holds_every_response_with_each_answer_under_its_question(s, as_user, answered):
    response = as_user(s.leader).get(export(answered))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    header = rows[0]
    assert header[0] == "组员" and header[-2:] == ("总分", "提交时间")
    assert header[1] == "1. 教学目标明确，符合课程标准与学情（满分 10）"
    assert header[6] == "6. 总体评价"
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {s.member.display_name, s.member2.display_name}
    first = by_name[s.member.display_name]
    assert first[1:7] == (10, 8, 6, 4, 2, "优秀")
    assert first[-2] == 30 and re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", first[-1])
    assert by_name[s.member2.display_name][7].endswith('HYPERLINK("http://x")')


def test_only_the_groups_leader_may_see_or_export_the_results(cast, s, as_user, answered):
    for url in (results(answered), export(answered)):
        assert Client().get(url).status_code == 302
        assert as_user(s.member).get(url).status_code == 403
        assert as_user(s.other_leader).get(url).status_code == 404
        assert as_user(cast.outsider).get(url).status_code == 404
        assert as_user(s.leader).get(url).status_code == 200


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_results_page_and_export_cost_the_same_at_2_and_20_responses(
    cast, s, as_user, answered
):
    leader = as_user(s.leader)
    for url in (results(answered), export(answered)):
        leader.get(url)
    small = [queries(leader, results(answered)), queries(leader, export(answered))]
    for n in range(18):
        user = f.teacher(cast.school, f"听课教师{n}")
        GroupMember.objects.create(group=s.group, user=user)
        answer(answered, user, [n % 11, 5, 5, 5, 5], "合格")
    large = [queries(leader, results(answered)), queries(leader, export(answered))]
    assert small == large
