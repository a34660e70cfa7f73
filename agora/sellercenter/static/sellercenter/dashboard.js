// Draws the dashboard's charts from the figures the page also shows as tables.
(function () {
  "use strict";
  var node = document.getElementById("chart-data");
  if (!node || typeof Chart === "undefined") return;
  var data = JSON.parse(node.textContent);
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  function bar(id, series, horizontal) {
    var canvas = document.getElementById(id);
    if (!canvas) return;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: series.labels,
        datasets: [{ label: series.label, data: series.values.map(Number), backgroundColor: "#1a4f8b" }],
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: reduced ? false : {},
        plugins: { legend: { display: false } },
      },
    });
  }
  bar("sales-chart", data.sales, false);
  bar("top-chart", data.top, true);
})();
