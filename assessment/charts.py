"""Chart specs for static/js/charts.js of the district's pages (the hours
pictures come from hours.charts). Pages also show every figure in text."""

from .selectors.district import StageSummary


def stages_chart(summary: StageSummary) -> dict | None:
    """Schools per stage, one bar each, in the order schools move through them."""
    if not summary.schools:
        return None
    return {
        "kind": "bar",
        "horizontal": True,
        "unit": "所",
        "categories": [label for _, label, _ in summary.stages],
        "series": [{"name": "学校数", "data": [n for _, _, n in summary.stages]}],
    }
