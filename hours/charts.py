"""Chart specs for static/js/charts.js, built from the ledger's figures
(hours.selectors.HoursStats). Pages also show every figure in text."""

from .selectors import HOURS_CAP, HoursStats

# Green for done, the site's blue for under way, grey for not started: each
# at least 3:1 against white, and told apart by the legend and labels too.
DONE, UNDER_WAY, NOT_STARTED = "#198754", "#0a58ca", "#6c757d"


def hours_histogram_chart(stats: HoursStats | None) -> dict | None:
    """How the counted hours of a list of teachers spread (teachers per bucket)."""
    if not stats or not stats.count:
        return None
    labels, counts = zip(*stats.histogram, strict=True)
    return {
        "kind": "histogram",
        "unit": "人",
        "categories": list(labels),
        "series": [{"name": "教师人数", "data": list(counts)}],
    }


def hours_progress_chart(rows: list[tuple[str, HoursStats]]) -> dict | None:
    """One stacked bar per (label, stats): reached 25, under way, not started."""
    if not any(stats.count for _, stats in rows):
        return None
    return {
        "kind": "stacked",
        "horizontal": True,
        "unit": "人",
        "categories": [label for label, _ in rows],
        "series": [
            {
                "name": f"已满 {HOURS_CAP} 学时",
                "data": [s.complete for _, s in rows],
                "color": DONE,
            },
            {"name": "进行中", "data": [s.in_progress for _, s in rows], "color": UNDER_WAY},
            {"name": "未开始", "data": [s.not_started for _, s in rows], "color": NOT_STARTED},
        ],
    }
