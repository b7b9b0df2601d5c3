"""Issue 15, the pages: each costs a fixed number of queries at two sizes, and
behaves as its user expects through the real URL.

- The teacher's board (home page, 研修活动) holds the current cycle only, so it
  does not grow with the years; 研修活动 looks back at an earlier cycle.
- An activity's page asks about the member in the same query as the activity.
- 我的学时 counts other schools' credits from the rows it loads anyway.
- 教师学时 reads the school's kept figures when it lists every teacher.
- 添加组员 searches and pages through the school's teachers: one page of them
  whatever the school's size, the same scope as before.

REQUEST and UNREAD as in tests/test_list_queries.py.
"""

import datetime
import itertools

import pytest
from django.urls import reverse

from accounts.figures import school_figures_changed
from accounts.models import Cycle, SchoolMembership
from activities.models import Activity, Participation, Post, Topic
from groups.models import GroupMember, ResearchGroup
from groups.services import teacher_remove
from hours.services import hours_credit

from . import factories as f
from . import factories_activities as fa
from .conftest import login
from .factories_groups import group
from .test_list_queries import REQUEST, UNREAD

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(cast):
    return fa.group_setup(cast)


@pytest.fixture
def same_cost(django_assert_num_queries):
    """same_cost(client, url, n, grow): the page costs n queries before and after grow()."""

    def check(client, url, n, grow, **params):
        client.get(url, params)  # the session is written on the first request
        with django_assert_num_queries(n):
            before = client.get(url, params)
        grow()
        with django_assert_num_queries(n):
            after = client.get(url, params)
        return before.content.decode(), after.content.decode()

    return check


# ---- the teacher's board: the current cycle -------------------------------------


def last_year(cast) -> Cycle:
    starts = cast.cycle.starts_on - datetime.timedelta(days=400)
    return Cycle.objects.create(
        name="上一学年", starts_on=starts, ends_on=cast.cycle.starts_on - datetime.timedelta(days=1)
    )


def held_last_year(s, past: Cycle, n: int, title: str) -> None:
    """n activities of the group in the earlier cycle (made now, then moved back)."""
    t = fa.topic(s)
    Topic.objects.filter(pk=t.pk).update(cycle=past)
    day = past.starts_on + datetime.timedelta(days=30)
    for i in range(n):
        a = fa.activity(s, "homework", t=t, title=f"{title}{i:02d}")
        when = day + datetime.timedelta(days=i)
        Activity.objects.filter(pk=a.pk).update(
            cycle=past, held_on=when, opens_on=when, closes_on=when + datetime.timedelta(days=5)
        )


def test_the_boards_hold_the_current_cycle_and_研修活动_looks_back(cast, s):
    past = last_year(cast)
    held_last_year(s, past, 2, "去年的作业")
    fa.activity(s, "discussion", title="今年的研讨")
    teacher = login(s.member)
    home = teacher.get(reverse("home")).content.decode()
    assert "今年的研讨" in home and "去年的作业" not in home
    board = teacher.get(reverse("activities:mine")).content.decode()
    assert "今年的研讨" in board and "去年的作业" not in board
    # The 研修周期 switch (as on the other pages that follow a cycle), this one chosen.
    assert 'id="cycle-switch"' in board
    assert f'<option value="{past.pk}">上一学年' in board
    assert f'<option value="{cast.cycle.pk}" selected>' in board
    back = teacher.get(reverse("activities:mine"), {"cycle": past.pk}).content.decode()
    assert "去年的作业00" in back and "去年的作业01" in back and "今年的研讨" not in back
    assert f'<option value="{past.pk}" selected>上一学年' in back
    # An unknown cycle is the current one (accounts.selectors.cycle_chosen's rule).
    unknown = teacher.get(reverse("activities:mine"), {"cycle": 99999}).content.decode()
    assert "今年的研讨" in unknown and "去年的作业" not in unknown


def test_the_teacher_home_costs_the_same_with_2_and_20_activities_last_year(cast, s, same_cost):
    past = last_year(cast)
    held_last_year(s, past, 2, "去年活动")
    fa.activity(s, "discussion", title="今年的研讨")
    # + the cycle, the 我的研修 progress (one compiled query), this cycle's
    #   activities of the groups they belong to with the teacher's state (one),
    #   the teacher's groups; the school, subject and stage come with the role
    #   grants
    before, after = same_cost(
        login(s.member),
        reverse("home"),
        REQUEST + UNREAD + 4,
        lambda: held_last_year(s, past, 18, "又一个去年活动"),
    )
    assert "今年的研讨" in after and "去年活动" not in after and "赤坎第一小学" in after


def test_研修活动_costs_the_same_with_2_and_20_activities_last_year(cast, s, same_cost):
    past = last_year(cast)
    held_last_year(s, past, 2, "去年活动")
    # + the cycles begun (the current one first), this cycle's activities of
    #   the groups they belong to with the teacher's state
    before, after = same_cost(
        login(s.member),
        reverse("activities:mine"),
        REQUEST + UNREAD + 2,
        lambda: held_last_year(s, past, 18, "又一个去年活动"),
    )
    assert "去年活动" not in after
    # Looking back costs the same, and lists them all.
    with_past = login(s.member)
    url = reverse("activities:mine")
    before, after = same_cost(
        with_past,
        url,
        REQUEST + UNREAD + 2,
        lambda: held_last_year(s, past, 5, "再一个去年活动"),
        cycle=past.pk,
    )
    assert after.count("去年活动") > before.count("去年活动")


# ---- an activity's page, as a member -------------------------------------------


def crowd(s, n: int, prefix: str) -> list:
    """n more teachers of the school in the group."""
    made = [f.teacher(s.group.school, f"{prefix}{i:02d}") for i in range(n)]
    GroupMember.objects.bulk_create(GroupMember(group=s.group, user=u) for u in made)
    return made


def take_part(activity, users, *, post: bool = False, designated_by=None) -> None:
    Participation.objects.bulk_create(
        Participation(activity=activity, user=u, designated_by=designated_by) for u in users
    )
    if post:
        Post.objects.bulk_create(Post(activity=activity, author=u, body="观点") for u in users)


# + the activity with the member's membership, participation and extension
#   (one query), then what its kind shows the member: the posts with authors
#   and likes; their own submission (none yet: no files to load); the form's
#   questions with its header, their response (which also says which
#   moments' comments they may read), the comments on moments, how many others
#   wrote; the evidence, the participants, their own check-in
MEMBER_PAGE = {"discussion": 2, "homework": 2, "observation": 5, "offline": 4}


@pytest.mark.parametrize("kind", MEMBER_PAGE)
def test_an_activity_page_costs_the_member_the_same_for_3_and_30_members(kind, s, same_cost):
    activity = fa.activity(s, kind, hours=3 if kind == "offline" else None)
    leader = s.leader if kind == "offline" else None
    take_part(activity, [s.member2], post=kind == "discussion", designated_by=leader)

    def grow():
        take_part(activity, crowd(s, 27, "组员"), post=kind == "discussion", designated_by=leader)

    before, after = same_cost(
        login(s.member),
        reverse("activities:detail", args=[activity.pk]),
        REQUEST + UNREAD + MEMBER_PAGE[kind],
        grow,
    )
    if kind in ("discussion", "offline"):  # the member sees the others' posts, the participants
        assert after.count("组员") > before.count("组员")


def test_the_activity_page_still_tells_a_member_where_they_are(s):
    activity = fa.activity(s, "discussion")
    teacher = login(s.member)
    url = reverse("activities:detail", args=[activity.pk])
    assert "参与活动" in teacher.get(url).content.decode()
    teacher.post(reverse("activities:join", args=[activity.pk]))
    assert "进入研修" in teacher.get(url).content.decode()
    # Someone outside the group sees the page (a school admin) without a member's buttons.
    page = login(s.other_leader).get(url)
    assert page.status_code == 404  # not their group, not their school's admin: missing


# ---- 我的学时 -------------------------------------------------------------------


_sources = itertools.count()


def credit(cast, teacher, n: int, school=None) -> None:
    for _ in range(n):
        # The ledger takes any row as a source; a group stands in for an activity.
        source = ResearchGroup.objects.create(school=cast.school, name=f"来源{next(_sources)}")
        hours_credit(
            teacher=teacher,
            cycle=cast.cycle,
            school=school or cast.school,
            source=source,
            hours=1,
            category="研修作业",
        )


def test_我的学时_costs_the_same_for_2_and_20_credits(cast, s, same_cost):
    credit(cast, s.member, 2)
    # + the cycle, the ledger rows of every school (with reversals and actors),
    #   their ability points, the kept total, the registration, the claims
    before, after = same_cost(
        login(s.member),
        reverse("hours:mine"),
        REQUEST + UNREAD + 6,
        lambda: credit(cast, s.member, 18),
    )
    assert 'id="counted">20<' in after


# ---- 教师学时 (school admin) -------------------------------------------------------


def grow_school(cast, n: int, prefix: str) -> None:
    for i in range(n):
        f.teacher(cast.school, f"{prefix}{i:03d}")
    # As the roster's services do: the school's kept figures count them.
    school_figures_changed(school_ids=[cast.school.pk])


def test_教师学时_costs_the_same_at_30_and_300_teachers(cast, same_cost):
    grow_school(cast, 27, "甲")
    # + the cycle, the kept figures (how many, the summary and the histogram),
    #   one page of 50 teachers with hours, their groups' names, the
    #   registration batch, the groups for the filter (the school is the
    #   admin's grant)
    before, after = same_cost(
        login(cast.school_admin),
        reverse("hours:school"),
        REQUEST + UNREAD + 6,
        lambda: grow_school(cast, 270, "乙"),
    )
    assert "共 30 人" in before and "合计 30 人" in before
    assert "共 300 人" in after and "合计 300 人" in after
    assert after.count('role="progressbar" aria-label="计入学时"') == 50  # one page


# ---- 添加组员 (leader) --------------------------------------------------------------


ADD = "groups:member_add"


def test_添加组员_costs_the_same_at_30_and_300_teachers(cast, s, same_cost):
    grow_school(cast, 22, "候选")
    url = reverse(ADD, args=[s.group.pk])
    # + the group (the leader's access helper), one page of candidates with
    #   their subject and how many there are (a window count)
    before, after = same_cost(
        login(s.leader), url, REQUEST + UNREAD + 2, lambda: grow_school(cast, 270, "新老师")
    )
    assert before.count('name="users"') == 20 and after.count('name="users"') == 20
    # 信息组老师, 吴组长 and the 22, then 270 more
    assert "24 位本校教师尚未加入本组，第 1/2 页" in before
    assert "294 位本校教师尚未加入本组，第 1/15 页" in after
    # The search: the same cost, one page of what it finds.
    with_search = same_cost(
        login(s.leader), url, REQUEST + UNREAD + 2, lambda: grow_school(cast, 5, "候选补"), q="候选"
    )
    assert "“候选”：22 位" in with_search[0] and "“候选”：27 位" in with_search[1]


def test_添加组员_offers_only_the_schools_active_teachers_who_are_not_members(cast, s):
    f.school_admin(cast.school, "不任教的校管")
    gone = f.teacher(cast.school, "调走的老师")
    teacher_remove(
        membership=SchoolMembership.objects.get(user=gone), by=cast.school_admin, reason="调岗"
    )
    f.teacher(cast.other_school, "外校的老师")
    f.teacher(cast.school, "本校新老师", subject="美术")
    page = login(s.leader).get(reverse(ADD, args=[s.group.pk]))
    offered = sorted(u.real_name for u in page.context["page"])
    # Not the group's members (周组长, 李老师, 王老师), not the other school, not the
    # removed teacher, not staff who do not teach.
    assert offered == sorted(["信息组老师", "吴组长", "本校新老师"])
    assert '本校新老师<span class="text-muted">（美术）</span>' in page.content.decode()


def test_添加组员_searches_as_you_type_pages_and_works_without_javascript(cast, s):
    grow_school(cast, 45, "数学老师")
    leader = login(s.leader)
    url = reverse(ADD, args=[s.group.pk])
    page = leader.get(url, {"q": "数学"}).content.decode()
    # The search box: labelled, a search field htmx sends as the leader types,
    # inside a plain GET form for browsers without JavaScript.
    assert '<form class="row g-2 mb-2" method="get"' in page
    assert 'type="search" id="candidate-search" name="q" value="数学"' in page
    assert (
        'hx-get="' + url + '"' in page and 'hx-trigger="input changed delay:300ms, search"' in page
    )
    assert '<label class="visually-hidden" for="candidate-search">' in page
    # Each teacher a checkbox inside its label: a big target, reachable by keyboard.
    assert '<label class="list-group-item d-flex align-items-center gap-2 py-2"><input' in page
    # htmx asks for the list alone.
    partial = leader.get(url, {"q": "数学"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and partial.count('name="users"') == 20
    assert "45 位本校教师尚未加入本组，第 1/3 页" in partial
    # The next page, a plain link (htmx-boosted when scripts run).
    second = leader.get(url, {"q": "数学", "page": 2})
    names = [u.real_name for u in second.context["page"]]
    assert names[0] == "数学老师020" and len(names) == 20
    # Ticking teachers on page 2 adds them and comes back to the same search.
    chosen = [u.pk for u in second.context["page"]][:3]
    response = leader.post(url, {"q": "数学", "users": chosen})
    assert response.status_code == 302 and response["Location"] == f"{url}?q=%E6%95%B0%E5%AD%A6"
    assert GroupMember.objects.filter(group=s.group, user_id__in=chosen).count() == 3
    after = leader.get(response["Location"]).content.decode()
    assert "已添加 3 位组员" in after and "42 位本校教师尚未加入本组" in after
    # A page past the end shows the last one.
    assert leader.get(url, {"q": "数学", "page": 99}).context["page"].number == 3


def test_添加组员_refuses_other_schools_teachers_and_other_leaders(cast, s):
    url = reverse(ADD, args=[s.group.pk])
    outsider = f.teacher(cast.other_school, "外校的老师")
    page = login(s.leader).post(url, {"users": [outsider.pk]})
    assert page.status_code == 200 and "只能添加本校尚未加入本组的在职教师" in page.content.decode()
    assert not GroupMember.objects.filter(user=outsider).exists()
    # The leader of another group of the school: this group is not theirs (403:
    # they lead, but not here); a leader of another school: missing (404).
    assert login(s.other_leader).get(url).status_code in (403, 404)
    far = group(cast.other_school, "外校组", leader=cast.outsider)
    assert far.leader == cast.outsider
    assert login(cast.outsider).get(url).status_code == 404
    assert login(cast.outsider).post(url, {"users": [cast.teacher.pk]}).status_code == 404
