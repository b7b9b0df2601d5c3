/* The site's charts, drawn with its one vendored chart library, Apache ECharts
   (static/vendor/echarts/echarts.min.js, loaded just before this file by
   templates/_charts.html).

   A chart is an element
     <div class="chart" data-chart="ID" aria-hidden="true"></div>
   whose spec sits in {{ spec|json_script:"ID" }}: no inline script, as the
   site's Content-Security-Policy allows scripts from 'self' only. The same
   figures are always on the page as text (a list or a table), for screen
   readers and for browsers without JavaScript: the chart is for the eye.

   Spec (JSON):
     kind        "bar" | "stacked" | "histogram"
     categories  [label, ...]                 one per bar (per stacked bar)
     series      [{name, data: [n, ...], color}]   stacked: one per segment
     horizontal  true: bars run left to right, labels down the side
     unit        text after numbers ("人", "分")
     max         the value axis's maximum (optional)
     range       bar only: {name, low: [...], high: [...]}, a low–high
                 whisker over each bar (e.g. the spread of scores)
*/
(function () {
  "use strict";

  // Colours with at least 3:1 contrast on white (WCAG 1.4.11, graphics).
  var PALETTE = ["#0a58ca", "#198754", "#6f42c1", "#b02a37", "#8a6a00", "#087990", "#5c636a"];
  var ROW = 34; // px per bar of a horizontal chart

  function specOf(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) return null;
    try {
      return JSON.parse(source.textContent);
    } catch (e) {
      return null;
    }
  }

  function heightOf(spec) {
    var top = spec.kind === "stacked" || spec.range || spec.series.length > 1 ? 30 : 0;
    if (spec.horizontal) return top + spec.categories.length * ROW + (spec.kind === "stacked" ? 12 : 30);
    return top + 190;
  }

  function escapeHtml(text) {
    return String(text === null || text === undefined ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function number(value, unit) {
    return value === null || value === undefined ? "—" : value + (unit || "");
  }

  function whisker(range, horizontal) {
    return {
      type: "custom",
      name: range.name,
      data: range.low.map(function (low, i) { return [i, low, range.high[i]]; }),
      encode: horizontal ? { y: 0, x: [1, 2] } : { x: 0, y: [1, 2] },
      itemStyle: { color: "#212529" },
      z: 10,
      renderItem: function (params, api) {
        var i = api.value(0);
        var a = horizontal ? api.coord([api.value(1), i]) : api.coord([i, api.value(1)]);
        var b = horizontal ? api.coord([api.value(2), i]) : api.coord([i, api.value(2)]);
        var cap = 6;
        var style = { stroke: "#212529", lineWidth: 2 };
        function line(x1, y1, x2, y2) {
          return { type: "line", shape: { x1: x1, y1: y1, x2: x2, y2: y2 }, style: style };
        }
        return {
          type: "group",
          children: horizontal
            ? [line(a[0], a[1], b[0], b[1]), line(a[0], a[1] - cap, a[0], a[1] + cap),
               line(b[0], b[1] - cap, b[0], b[1] + cap)]
            : [line(a[0], a[1], b[0], b[1]), line(a[0] - cap, a[1], a[0] + cap, a[1]),
               line(b[0] - cap, b[1], b[0] + cap, b[1])],
        };
      },
    };
  }

  function optionOf(spec, width) {
    var narrow = width < 480;
    var stacked = spec.kind === "stacked";
    var horizontal = !!spec.horizontal;
    var unit = spec.unit || "";
    var categoryAxis = {
      type: "category",
      data: spec.categories,
      inverse: horizontal, // the first category on top, as in the table below it
      axisTick: { show: false },
      axisLabel: {
        color: "#212529",
        fontSize: 12,
        interval: 0,
        width: horizontal ? (narrow ? 96 : 200) : undefined,
        overflow: "truncate",
      },
    };
    var valueAxis = {
      type: "value",
      max: spec.max,
      minInterval: 1,
      show: !stacked,
      axisLabel: { color: "#495057", fontSize: 11 },
      splitLine: { lineStyle: { color: "#e9ecef" } },
    };
    var series = spec.series.map(function (s, i) {
      return {
        name: s.name,
        type: "bar",
        data: s.data,
        stack: stacked ? "all" : undefined,
        barMaxWidth: spec.kind === "histogram" ? undefined : 28,
        barCategoryGap: spec.kind === "histogram" ? "6%" : stacked ? "15%" : "30%",
        itemStyle: { color: s.color || PALETTE[i % PALETTE.length] },
        label: {
          show: true,
          // Inside the bar's end when a whisker is drawn over it, else beside it.
          position: stacked ? "inside" : spec.range ? "insideRight" : horizontal ? "right" : "top",
          color: stacked || spec.range ? "#fff" : "#212529",
          fontSize: 12,
          formatter: function (p) { return p.value ? p.value + unit : ""; },
        },
        // A stacked segment too short for its number (2 of 39 teachers on a
        // phone) shows none: the figures are in the text under the chart.
        labelLayout: stacked ? function (p) {
          return p.labelRect.width + 4 > p.rect.width ? { fontSize: 0 } : {};
        } : undefined,
      };
    });
    if (spec.range && !stacked) series.push(whisker(spec.range, horizontal));
    var legend = spec.kind === "stacked" || spec.range || spec.series.length > 1;
    return {
      animation: false,
      textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
      grid: { left: 4, right: horizontal && !stacked ? 40 : 8, top: legend ? 30 : 16, bottom: 4, containLabel: true },
      legend: legend ? { top: 0, left: 0, itemWidth: 14, itemHeight: 10, textStyle: { fontSize: 12 } } : { show: false },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        confine: true,
        // ECharts sets the tooltip as HTML: the names (groups, schools) are
        // people's text, so they are escaped; the marker is ECharts' own.
        formatter: function (items) {
          var lines = [escapeHtml(items[0].name)];
          items.forEach(function (p) {
            var v = p.seriesType === "custom"
              ? number(p.value[1]) + "–" + number(p.value[2], unit)
              : number(p.value, unit);
            lines.push(p.marker + escapeHtml(p.seriesName) + "：" + v);
          });
          return lines.join("<br>");
        },
      },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: series,
    };
  }

  function draw(el) {
    var spec = specOf(el);
    if (!spec || !window.echarts) return;
    el.style.height = heightOf(spec) + "px";
    el.classList.add("chart-ready");
    var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el);
    chart.setOption(optionOf(spec, el.clientWidth), true);
  }

  function drawAll(root) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-chart]"), draw);
  }

  drawAll(document);

  var pending;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      Array.prototype.forEach.call(document.querySelectorAll(".chart-ready"), function (el) {
        var chart = window.echarts.getInstanceByDom(el);
        if (chart) {
          chart.setOption(optionOf(specOf(el), el.clientWidth), true);
          chart.resize();
        }
      });
    }, 150);
  });
  // Content swapped in by htmx may hold charts too.
  document.addEventListener("htmx:afterSwap", function (e) { drawAll(e.target); });

  window.XiaobenCharts = { draw: draw, drawAll: drawAll };
})();
