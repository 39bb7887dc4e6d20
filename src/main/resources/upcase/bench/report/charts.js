// Shared by upcase's report pages: uPlot charts whose axis labels, legend and values the page
// also writes into the DOM (#shown), so that a test reading the page after its scripts ran sees
// what a person sees. Any script error is recorded there too (data-errors).
"use strict";
var Shown = { charts: {}, values: {}, errors: [] };
window.addEventListener("error", function (e) { Shown.errors.push(String(e.message)); });

var PALETTE = ["#1f5fa8", "#d1495b", "#2a9d5c", "#8d5cc4", "#e08a1e", "#6b4f3a", "#d36fb0", "#1aa3b8"];

function fmtNumber(v, digits) {
  if (v == null || !isFinite(v)) return "–";
  var d = digits == null ? (Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2) : digits;
  return Number(v).toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: 0 });
}

function el(tag, attrs, text) {
  var e = document.createElement(tag);
  for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
  if (text != null) e.textContent = text;
  return e;
}

// A chart: id, title, how to read it ("higher is better"), axis titles, an aligned data table
// [x[], y1[], y2[] ...], series [{label, color, dash, points}], and options (xLog, xSplits,
// xValues for tick labels, xTime false).
function chart(parent, spec) {
  var box = el("figure", { "class": "chart", id: spec.id });
  box.appendChild(el("figcaption", {}, spec.title));
  if (spec.better) box.appendChild(el("div", { "class": "better" }, spec.better));
  parent.appendChild(box);
  var record = { title: spec.title, better: spec.better || "", xLabel: spec.xLabel, yLabel: spec.yLabel,
                 xTicks: [], legend: spec.series.map(function (s) { return s.label; }) };
  Shown.charts[spec.id] = record;
  var xAxis = {
    label: spec.xLabel, stroke: "#333", grid: { stroke: "#e6e6e6" },
    values: function (u, splits) {
      var labels = splits.map(function (v) { return v == null ? "" : spec.xValues ? spec.xValues(v) : fmtNumber(v); });
      record.xTicks = labels.filter(function (l) { return l !== ""; });
      return labels;
    }
  };
  if (spec.xSplits) {
    xAxis.splits = spec.xSplits;
    // uPlot thins a log axis's ticks to 1, 2, 5 x 10^n by default: keep every split given.
    xAxis.filter = function (u, splits) { return splits; };
  }
  if (spec.xIncrs) xAxis.incrs = spec.xIncrs;
  var yAxis = {
    label: spec.yLabel, stroke: "#333", grid: { stroke: "#e6e6e6" }, size: 70,
    values: function (u, splits) { return splits.map(function (v) { return fmtNumber(v); }); }
  };
  if (spec.yIncrs) yAxis.incrs = spec.yIncrs;
  var opts = {
    width: spec.width || Math.min(960, document.body.clientWidth - 40), height: spec.height || 300,
    scales: { x: spec.xLog ? { time: false, distr: 3, log: 10 }
                 : spec.xRange ? { time: false, range: function () { return spec.xRange; } } : { time: false },
              y: spec.yLog ? { distr: 3, log: 10 } : { range: function (u, min, max) { return [0, max > 0 ? max * 1.05 : 1]; } } },
    axes: [xAxis, yAxis],
    legend: { live: false },
    cursor: { show: true, drag: { x: false, y: false } },
    series: [{ label: spec.xLabel }].concat(spec.series.map(function (s) {
      return { label: s.label, stroke: s.color, width: s.width || 2, dash: s.dash, spanGaps: true,
               paths: s.bars ? uPlot.paths.bars({ size: [0.6, 40] }) : s.pointsOnly ? function () { return null; } : undefined,
               fill: s.bars ? s.color + "99" : undefined,
               points: { show: s.points != null ? s.points : false, size: 7, fill: s.color } };
    })),
    hooks: { draw: [function () { record.drawn = true; }] }
  };
  new uPlot(opts, spec.data, box);
}

// Joins tables [[x[], y[]], ...] on x (sorted union), with null where a table has no point.
function joinOnX(tables) {
  var xs = [];
  tables.forEach(function (t) { t[0].forEach(function (x) { xs.push(x); }); });
  xs = xs.filter(function (x, i, a) { return a.indexOf(x) === i; }).sort(function (a, b) { return a - b; });
  var out = [xs];
  tables.forEach(function (t) {
    for (var c = 1; c < t.length; c++) {
      var byX = new Map();
      t[0].forEach(function (x, i) { byX.set(x, t[c][i]); });
      out.push(xs.map(function (x) { return byX.has(x) ? byX.get(x) : null; }));
    }
  });
  return out;
}

// Writes what the page shows into #shown, and marks the body ready once every chart has drawn.
function publish() {
  var shown = document.getElementById("shown");
  var done = Object.keys(Shown.charts).every(function (k) { return Shown.charts[k].drawn; });
  Shown.resources = performance.getEntriesByType("resource").length;
  shown.textContent = JSON.stringify(Shown);
  document.body.setAttribute("data-errors", String(Shown.errors.length));
  if (done) {
    document.body.setAttribute("data-ready", "true");
  } else {
    requestAnimationFrame(publish);
  }
}
