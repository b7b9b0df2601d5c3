"""A chart's tooltip shows group and school names as text (static/js/charts.js
escapes them: ECharts sets a tooltip as HTML). Outside test 6: a group named
with markup planted elements in the leader's home page."""

import pytest

from .. import factories_activities as fa
from .conftest import login_in_browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NAME = '信息<b id="inj">粗</b><img src="x" id="injimg">'


def test_a_group_named_with_markup_reads_as_text_in_the_tooltip(cast, live_server, browser):
    s = fa.group_setup(cast)
    s.group.name = NAME
    s.group.save()
    page = browser.new_page(viewport={"width": 1000, "height": 900}, locale="zh-CN")
    login_in_browser(page, live_server, s.leader.username)
    chart = page.locator('[data-chart="hours-progress-chart"]')
    chart.wait_for()
    page.wait_for_function("document.querySelector('.chart-ready canvas') !== null")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    shown = ""
    for x in (0.3, 0.5, 0.7):  # over the bar, wherever the axis labels end
        page.mouse.move(box["x"] + box["width"] * x, box["y"] + box["height"] / 2)
        page.wait_for_timeout(300)
        shown = page.evaluate(
            "[...document.querySelectorAll('.chart div')].map(d => d.innerText).join('|')"
        )
        if "信息" in shown:
            break
    assert "信息<b" in shown  # the name as typed, as text
    assert (
        page.evaluate("document.getElementById('inj') || document.getElementById('injimg')") is None
    )
    page.close()
