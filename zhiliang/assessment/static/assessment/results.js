// Results page charts (Apache ECharts, vendored): ranking bars, a per-city radar against the
// provincial average, and year-over-year bars. The tables on the page carry the same numbers.
(function () {
  "use strict";
  function init() {
    var source = document.getElementById("assessment-data");
    if (!source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var charts = [];
    var gradeColour = { A: "#2e7d32", B: "#1d4f8c", C: "#d68910", D: "#c0392b" };
    var el = document.getElementById("chart-ranking");
    if (el) {
      var ranking = echarts.init(el);
      ranking.setOption({
        tooltip: { trigger: "axis" },
        grid: { left: 50, right: 20, top: 20, bottom: 60 },
        xAxis: { type: "category", data: data.ranking.map(function (r) { return r.city; }), axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value", name: "得分" },
        series: [{ type: "bar", data: data.ranking.map(function (r) {
          return { value: r.total, itemStyle: { color: gradeColour[r.grade] || "#888" } };
        }) }]
      });
      charts.push(ranking);
    }
    el = document.getElementById("chart-radar");
    var select = document.getElementById("radar-city");
    if (el && select && data.radar.cities.length) {
      var radar = echarts.init(el);
      data.radar.cities.forEach(function (c, i) {
        var opt = document.createElement("option");
        opt.value = i; opt.textContent = c.name; select.appendChild(opt);
      });
      var draw = function () {
        var c = data.radar.cities[select.value || 0];
        radar.setOption({
          tooltip: {}, legend: { bottom: 0 },
          radar: { indicator: data.radar.indicators },
          series: [{ type: "radar", data: [{ name: c.name, value: c.value }, { name: "全省平均", value: data.radar.average }] }]
        });
      };
      select.addEventListener("change", draw);
      draw();
      charts.push(radar);
    }
    el = document.getElementById("chart-yoy");
    if (el && data.previous_title) {
      var yoy = echarts.init(el);
      yoy.setOption({
        tooltip: { trigger: "axis" }, legend: { bottom: 0 },
        grid: { left: 50, right: 20, top: 20, bottom: 80 },
        xAxis: { type: "category", data: data.yoy.map(function (y) { return y.city; }), axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value" },
        series: [
          { name: "上年度", type: "bar", data: data.yoy.map(function (y) { return y.before; }) },
          { name: "本年度", type: "bar", data: data.yoy.map(function (y) { return y.now; }) }
        ]
      });
      charts.push(yoy);
    }
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
