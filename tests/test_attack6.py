"""What outside test 6 found, each fixed where it arose: a NUL character in
any parameter is refused with a page that says so (not a database error deep
in a search or a form); digits too long to be an id are no id; a discussion
post has a size; a score is plain digits."""

import pytest
from django.urls import reverse

from activities.models import ObservationResponse, Post
from activities.services.discussion import MAX_POST_CHARS
from hours.models import HoursEntry

from . import factories_activities as fa

pytestmark = pytest.mark.django_db

LONG = "9" * 5000


def _entered(cast, as_user, kind: str):
    """A member's client in a new activity of `kind`, joined and entered."""
    s = fa.group_setup(cast)
    a = fa.activity(s, kind)
    client = as_user(s.member)
    client.post(reverse("activities:join", args=[a.pk]))
    client.post(reverse("activities:enter", args=[a.pk]))
    return s, a, client


@pytest.mark.parametrize(
    "url", ["accounts:roster", "hours:school", "groups:list", "assessment:review"]
)
def test_a_nul_in_a_search_is_refused_with_a_page_that_says_so(cast, as_user, url):
    response = as_user(cast.school_admin).get(reverse(url), {"q": "张\x00"})
    assert response.status_code == 400
    assert "请求中含有不允许的字符" in response.content.decode()


def test_a_nul_in_an_answer_stores_nothing_and_credits_nothing(cast, as_user):
    s, a, client = _entered(cast, as_user, "observation")
    answers = fa.answers_for(a)
    text = next(k for k, v in answers.items() if "板书" in v)
    answers[text] = "板书\x00清晰"
    response = client.post(reverse("activities:observation_submit", args=[a.pk]), answers)
    assert response.status_code == 400
    assert not ObservationResponse.objects.filter(activity=a).exists()
    assert not HoursEntry.objects.filter(teacher=s.member).exists()
    answers[text] = "板书清晰"  # without it, the same form goes through
    client.post(reverse("activities:observation_submit", args=[a.pk]), answers)
    assert ObservationResponse.objects.filter(activity=a, user=s.member).exists()


def test_a_score_is_plain_digits(cast, as_user):
    _, a, client = _entered(cast, as_user, "observation")
    answers = fa.answers_for(a)
    score = next(k for k, v in answers.items() if v.isdigit())
    for odd in ("1_0", "１０", LONG):
        answers[score] = odd
        response = client.post(
            reverse("activities:observation_submit", args=[a.pk]), answers, follow=True
        )
        assert "的评分须是 0 到" in response.content.decode()
    assert not ObservationResponse.objects.filter(activity=a).exists()


def test_digits_too_long_for_an_id_are_no_id(cast, as_user):
    s = fa.group_setup(cast)
    leader = as_user(s.leader)
    add = reverse("groups:member_add", args=[s.group.pk])
    assert leader.post(add, {"users": LONG}).status_code in (200, 302)
    assert leader.get(add, {"page": LONG}).status_code == 200
    school = as_user(cast.school_admin)
    remind = school.post(reverse("assessment:lacking_remind"), {"who": LONG, "message": "请完成"})
    assert remind.status_code in (200, 302)
    detail = reverse("activities:detail", args=[fa.activity(s, "observation").pk])
    assert as_user(s.member).get(detail, {"t": LONG}).status_code == 200
    district = as_user(cast.district_admin)
    assert district.get(reverse("accounts:district_schools"), {"district": LONG}).status_code == 200


def test_a_post_has_a_size(cast, as_user):
    s, a, client = _entered(cast, as_user, "discussion")
    page = client.get(reverse("activities:detail", args=[a.pk])).content.decode()
    assert f'maxlength="{MAX_POST_CHARS}"' in page
    body = "我认为评价量规要在课前发给学生。" * 400  # 6,400 characters
    response = client.post(
        reverse("activities:post_new", args=[a.pk]), {**fa.once(), "body": body}, follow=True
    )
    assert f"观点最多 {MAX_POST_CHARS} 字" in response.content.decode()
    assert not Post.objects.filter(activity=a).exists()
    assert not HoursEntry.objects.filter(teacher=s.member).exists()


def test_an_export_asked_for_with_htmx_says_so_in_the_panel(cast, as_user):
    """The panel htmx swaps in says what happened; no message is left waiting
    for the next whole page (one per click, outside test 6)."""
    client = as_user(cast.district_admin)
    url = reverse("assessment:district_export_start")
    for _ in range(2):
        panel = client.post(url, {"kind": "schools"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="export-said"' in panel
    assert "已开始生成学校统计" in panel or "已有一份同类导出正在生成" in panel
    page = client.get(reverse("assessment:district_dashboard")).content.decode()
    assert "已开始生成" not in page and "已有一份同类导出正在生成" not in page


def test_a_message_waiting_at_logout_is_not_shown_to_the_next_person(cast, as_user):
    """Messages ride in a cookie, which outlives the session: logging out
    drops one still waiting (a school office's shared computer)."""
    client = as_user(cast.district_admin)
    client.post(reverse("assessment:district_export_start"), {"kind": "schools"})  # queued
    client.post(reverse("accounts:logout"))
    page = client.get(reverse("accounts:login")).content.decode()
    assert "已开始生成" not in page and "已有一份同类导出正在生成" not in page
