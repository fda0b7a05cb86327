// Draws the report chart from the JSON the page embeds; the table below is the accessible fallback.
(function () {
  var data = document.getElementById("report-chart-data");
  var canvas = document.getElementById("report-chart");
  if (!data || !canvas || !window.Chart) return;
  var chart = JSON.parse(data.textContent);
  var colours = ["#fe2c55", "#25c2bd", "#6366f1", "#f59e0b"];
  var names = Object.keys(chart.series);
  new window.Chart(canvas, {
    type: chart.type,
    data: {
      labels: chart.labels,
      datasets: names.map(function (name, i) {
        return {
          label: name,
          data: chart.series[name],
          borderColor: colours[i % colours.length],
          backgroundColor: chart.type === "bar" ? colours[i % colours.length] : "transparent",
          yAxisID: i === 0 ? "y" : "y1",
          tension: 0.25,
          pointRadius: 0,
        };
      }),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      // Every series is a count or an amount: the axis starts at 0, and an empty period gets
      // 0–1 instead of Chart.js's default of -1 to 1.
      scales: names.length > 1
        ? { y: { position: "left", min: 0, suggestedMax: 1 }, y1: { position: "right", min: 0, suggestedMax: 1, grid: { drawOnChartArea: false } } }
        : { y: { min: 0, suggestedMax: 1 } },
    },
  });
})();
