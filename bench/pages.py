"""Page benchmark: each role's main pages against the password-change page of
the same login, on the seeded database (`manage.py seed_scale`). Run by hand:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiaoben_bench \\
        .venv/bin/python bench/pages.py [--rounds 25] [--only teacher,school]

Prints, per page, its query count, the median time of the page and of the
password-change page (the trivial authenticated page: session, user, roles,
the unread badge and the base template), and their ratio. The two are
requested alternately within each round (page then trivial, trivial then page
on the next), so a noisy neighbour on the machine slows both alike: compare
ratios, not milliseconds. Production settings, in-process (bench.common).
Then the offline-evidence writes: designating every member of the first
school's whole-school group, the first evidence crediting them, its
withdrawal (queries and time), all rolled back.
"""

import argparse
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

TRIVIAL = "/accounts/password/"


def pages_by_login() -> list[tuple[str, str, str | None, list[tuple[str, str, float]]]]:
    """[(label, username, role key, [(page label, url, target ratio)])] from the seed."""
    from django.utils import timezone

    from accounts.models import School, User
    from activities.models import Activity
    from groups.models import GroupMember, ResearchGroup

    school = School.objects.get(code="B00000")
    teacher = User.objects.get(username="s000t0050")
    today = timezone.localdate()
    mine = Activity.objects.filter(
        group__in=GroupMember.objects.filter(user=teacher).values("group_id"),
        cycle__starts_on__lte=today,
        cycle__ends_on__gte=today,
    )

    def activity(kind: str) -> int:
        open_now = mine.filter(kind=kind, opens_on__lte=today, closes_on__gte=today)
        return (open_now.first() or mine.filter(kind=kind).first()).pk

    leader = User.objects.get(username="s000t0003")
    group = ResearchGroup.objects.filter(leader=leader, school=school).order_by("pk").first()
    return [
        (
            "teacher",
            "s000t0050",
            None,
            [
                ("教师首页", "/", 1.5),
                ("我的学时", "/hours/", 1.5),
                ("研修活动", "/activities/", 1.5),
                ("活动·教学研讨", f"/activities/{activity('discussion')}/", 1.5),
                ("活动·研修作业", f"/activities/{activity('homework')}/", 1.5),
                ("活动·听课评课", f"/activities/{activity('observation')}/", 1.5),
                ("活动·线下活动", f"/activities/{activity('offline')}/", 1.5),
                ("我的研修", "/training/", 0),
                ("我的教研组", "/groups/", 0),
            ],
        ),
        (
            "leader",
            "s000t0003",
            f"leader:{school.pk}",
            [
                ("组长首页", "/", 0),
                ("教研组活动", f"/activities/groups/{group.pk}/", 0),
                ("添加组员 (300 人学校)", f"/groups/{group.pk}/members/add/", 2),
                ("组员学时", "/hours/group/", 0),
            ],
        ),
        (
            "school",
            "s000admin",
            None,
            [
                ("学校首页", "/", 2),
                ("教师学时", "/school/hours/", 2),
                ("教师名单", "/school/roster/", 0),
                ("教研组", "/school/groups/", 0),
                ("研修考核", "/school/review/", 0),
                ("组长学时确认", "/activities/school/claims/", 0),
            ],
        ),
        ("info", "s000info", None, [("信息化团队首页", "/", 0)]),
        (
            "district",
            "bench_district",
            None,
            [
                ("区县首页", "/", 3),
                ("学校列表", "/district/schools/", 3),
                ("学时登记", "/district/hours/", 3),
            ],
        ),
    ]


def run_pages(rounds: int, only: set[str]) -> list[tuple]:
    results = []
    for label, username, role, pages in pages_by_login():
        if only and label not in only:
            continue
        client = common.client_for(username, role)
        for _name, url, _ in pages:
            response = common.get(client, url)
            assert response.status_code == 200, (label, url, response.status_code)
        trivial_q, _ = common.queries(lambda c=client: common.get(c, TRIVIAL))
        counts = {
            url: common.queries(lambda c=client, u=url: common.get(c, u))[0] for _, url, _ in pages
        }
        times: dict[str, list[float]] = {url: [] for _, url, _ in pages}
        trivial: list[float] = []
        for r in range(rounds):
            for _, url, _ in pages:
                pair = [
                    lambda c=client, u=url: common.get(c, u),
                    lambda c=client: common.get(c, TRIVIAL),
                ]
                if r % 2:
                    pair.reverse()
                first, second = (common.timed(call) for call in pair)
                page_ms, trivial_ms = (second, first) if r % 2 else (first, second)
                times[url].append(page_ms)
                trivial.append(trivial_ms)
        base = common.median(trivial)
        for name, url, target in pages:
            page = common.median(times[url])
            results.append((label, name, counts[url], page, base, page / base, target, trivial_q))
    return results


def print_pages(results) -> None:
    head = f"{'role':<9} {'page':<22} {'queries':>7} {'page ms':>8} {'pw ms':>6} {'ratio':>6}"
    print(head + "  target")
    for label, name, q, page, base, ratio, target, _ in results:
        verdict = ""
        if target:
            verdict = f"≤ {target}×  {'ok' if ratio <= target else 'MISSED'}"
        print(f"{label:<9} {name:<22} {q:>7} {page:>8.1f} {base:>6.1f} {ratio:>6.2f}  {verdict}")
    print(f"(the password-change page costs {results[0][7] if results else '?'} queries)")


def run_evidence(members: int) -> None:
    """Designate `members` of the whole-school group on a new offline activity,
    add the first evidence (crediting them all), withdraw it. Rolled back."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import School
    from activities import services
    from activities.models import Activity, Participation
    from groups.models import ResearchGroup, SchoolTheme
    from hours.models import HoursEntry

    school = School.objects.get(code="B00000")
    group = ResearchGroup.objects.select_related("leader").get(school=school, name="全校教师研修组")
    leader = group.leader
    client = common.client_for(leader.username, f"leader:{school.pk}")
    today = timezone.localdate()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            points = list(SchoolTheme.objects.get(school=school).key_points.all()[:1])
            topic = services.topic_create(
                group=group, by=leader, title="全员线下研修", description="", key_points=points
            )
            activity = services.activity_create(
                topic=topic,
                by=leader,
                kind=Activity.Kind.OFFLINE,
                title="全员线下集中研修",
                description="",
                # Held today: a seed loaded today has every teacher joining today,
                # and nobody is designated for an activity before they joined.
                held_on=today,
                opens_on=today,
                closes_on=today,
                hours_value=3,
            )
            services.topic_publish(topic=topic, by=leader)
            services.activity_publish(activity=activity, by=leader)
            ids = list(
                group.members.exclude(user=leader)
                .order_by("user_id")
                .values_list("user_id", flat=True)[:members]
            )
            url = f"/activities/{activity.pk}/participants/"
            n, response = common.queries(lambda: client.post(url, {"users": ids}, secure=True))
            assert response.status_code == 302, response.status_code
            designated = Participation.objects.filter(activity=activity).count()
            print(f"designate {designated} members: {n} queries")
            url = f"/activities/{activity.pk}/evidence/"
            data = {
                "kind": "sign_in",
                "request_token": str(uuid.uuid4()),  # as the page renders it (OnceForm)
                "confirm_credit": designated,
                "file": SimpleUploadedFile("签到表.pdf", pdf, "application/pdf"),
            }
            start = timezone.now()
            n, response = common.queries(lambda: client.post(url, data, secure=True))
            ms = (timezone.now() - start).total_seconds() * 1000
            assert response.status_code == 302, response.status_code
            credited = HoursEntry.objects.filter(object_id=activity.pk, kind="credit").count()
            print(f"first evidence, {credited} credited: {n} queries, {ms:.0f} ms")
            evidence = activity.evidence.get()
            url = f"/activities/evidence/{evidence.pk}/withdraw/"
            start = timezone.now()
            n, response = common.queries(lambda: client.post(url, secure=True))
            ms = (timezone.now() - start).total_seconds() * 1000
            reversed_ = HoursEntry.objects.filter(object_id=activity.pk, kind="reversal").count()
            print(f"withdraw it, {reversed_} reversed: {n} queries, {ms:.0f} ms")
            raise Rollback
    except Rollback:
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--only", default="", help="roles, e.g. teacher,school")
    parser.add_argument("--evidence", type=int, default=298, help="members to designate (0: skip)")
    args = parser.parse_args()
    common.setup()
    only = {s for s in args.only.split(",") if s}
    print_pages(run_pages(args.rounds, only))
    if args.evidence and (not only or "evidence" in only):
        run_evidence(args.evidence)


if __name__ == "__main__":
    main()
