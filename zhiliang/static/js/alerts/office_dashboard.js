// Office dashboard charts (Apache ECharts, vendored). Data comes from the json_script block;
// the tables on the page carry the same numbers for readers without JavaScript.
(function () {
  "use strict";
  function init() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var colours = { red: "#c0392b", amber: "#d68910", green: "#1e8449" };
    var lights = echarts.init(document.getElementById("chart-lights"));
    lights.setOption({
      title: { text: "红黄绿灯", left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "item" },
      series: [{
        type: "pie", radius: ["40%", "70%"],
        data: ["red", "amber", "green"].map(function (k) {
          return { name: data.labels[k], value: data.lights[k], itemStyle: { color: colours[k] } };
        })
      }]
    });
    var titles = { section: "按部分", unit: "按责任单位", city: "按地区（市）" };
    var charts = [lights];
    Object.keys(titles).forEach(function (group) {
      var g = data.groups[group];
      var el = document.getElementById("chart-" + group);
      if (!el || !g) return;
      var chart = echarts.init(el);
      chart.setOption({
        title: { text: titles[group], left: "center", textStyle: { fontSize: 14 } },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { bottom: 0 },
        grid: { left: 40, right: 40, top: 40, bottom: 90 },
        xAxis: { type: "category", data: g.labels, axisLabel: { interval: 0, rotate: g.labels.length > 6 ? 30 : 0 } },
        yAxis: [{ type: "value", name: "事项" }, { type: "value", name: "完成率%", max: 100 }],
        series: ["red", "amber", "green"].map(function (k) {
          return { name: data.labels[k], type: "bar", stack: "lights", data: g[k], itemStyle: { color: colours[k] } };
        }).concat([{ name: "完成率%", type: "line", yAxisIndex: 1, data: g.percent }])
      });
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
