// Draws the sustainability dashboard's charts from the figures the page also shows as tables
// (seller center and operator console). Each chart: {labels, datasets: [{label, values}], stacked}.
(function () {
  "use strict";
  var node = document.getElementById("green-chart-data");
  if (!node || typeof Chart === "undefined") return;
  var data = JSON.parse(node.textContent);
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var colours = ["#1a4f8b", "#2e7d32", "#b26a00", "#6a1b9a", "#00838f", "#8d6e63", "#c62828"];
  Object.keys(data).forEach(function (id) {
    var canvas = document.getElementById(id);
    var series = data[id];
    if (!canvas || !series) return;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: series.labels,
        datasets: series.datasets.map(function (d, i) {
          return { label: d.label, data: d.values.map(Number), backgroundColor: colours[i % colours.length] };
        }),
      },
      options: {
        maintainAspectRatio: false,
        animation: reduced ? false : {},
        scales: { x: { stacked: !!series.stacked }, y: { stacked: !!series.stacked, beginAtZero: true } },
        plugins: { legend: { display: series.datasets.length > 1 } },
      },
    });
  });
})();
