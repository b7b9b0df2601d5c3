"""District pages benchmark (issue 15's district rows, issue 12's dashboard):
the district admin's pages at 300 schools / 80,000 teachers against the
password-change page of the same login, on the seeded database
(`manage.py seed_scale`). Run by hand:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xiaoben_bench \\
        .venv/bin/python bench/district.py [--rounds 25]

Prints, per page, its query count, the median time of the page and of the
password-change page, requested alternately within each round (page then
trivial, trivial then page on the next: a noisy machine slows both alike),
and their ratio against the target (≤ 3×). Production settings, in-process
(bench.common). The first request of each page is left out: it computes the
per-school figures the seed did not write (assessment's SchoolStats), once.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

TRIVIAL = "/accounts/password/"
TARGET = 3.0


def pages() -> list[tuple[str, str]]:
    from accounts.models import School

    school = School.objects.order_by("code")[1]
    return [
        ("区县首页", "/"),
        ("区县看板", "/district/dashboard/"),
        ("看板·筛选排序", "/district/dashboard/?stage=training&sort=-hours&q=学校"),
        ("看板·第 8 页", "/district/dashboard/?page=8"),
        ("学校（只读）", f"/district/dashboard/schools/{school.pk}/"),
        ("学校列表", "/district/schools/"),
        ("学时登记", "/district/hours/"),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--user", default="bench_district")
    args = parser.parse_args()
    common.setup()
    client = common.client_for(args.user)
    listed = pages()
    for _, url in listed:
        response = common.get(client, url)  # computes the figures the seed left out
        assert response.status_code == 200, (url, response.status_code)
    trivial_q, _ = common.queries(lambda: common.get(client, TRIVIAL))
    counts = {url: common.queries(lambda u=url: common.get(client, u))[0] for _, url in listed}
    times: dict[str, list[float]] = {url: [] for _, url in listed}
    trivial: list[float] = []
    for r in range(args.rounds):
        for _, url in listed:
            pair = [lambda u=url: common.get(client, u), lambda: common.get(client, TRIVIAL)]
            if r % 2:
                pair.reverse()
            first, second = (common.timed(call) for call in pair)
            page_ms, trivial_ms = (second, first) if r % 2 else (first, second)
            times[url].append(page_ms)
            trivial.append(trivial_ms)
    base = common.median(trivial)
    print(f"{'page':<16} {'queries':>7} {'page ms':>8} {'pw ms':>6} {'ratio':>6}  target")
    for name, url in listed:
        page = common.median(times[url])
        verdict = "ok" if page / base <= TARGET else "MISSED"
        print(
            f"{name:<16} {counts[url]:>7} {page:>8.1f} {base:>6.1f} {page / base:>6.2f}"
            f"  ≤ {TARGET}×  {verdict}"
        )
    print(f"(the password-change page costs {trivial_q} queries)")


if __name__ == "__main__":
    main()
