// Draws the LIVE dashboard's orders and GMV per minute, and redraws it after each htmx poll.
(function () {
  var chart = null;
  function draw() {
    var data = document.getElementById("live-chart-data");
    var canvas = document.getElementById("live-chart");
    if (!data || !canvas || !window.Chart) return;
    var figures = JSON.parse(data.textContent);
    if (chart) chart.destroy();
    chart = new window.Chart(canvas, {
      // Orders as a bar a minute (a lone first minute still reads), GMV as a line over them.
      type: "bar",
      data: {
        labels: figures.labels,
        datasets: [
          { type: "line", label: "GMV", data: figures.series.GMV, borderColor: "#25c2bd", backgroundColor: "#25c2bd", yAxisID: "y1", tension: 0.25 },
          { type: "bar", label: "Orders", data: figures.series.Orders, backgroundColor: "rgba(254, 44, 85, 0.75)", yAxisID: "y", maxBarThickness: 28 },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          y: { position: "left", min: 0, suggestedMax: 1, ticks: { precision: 0 }, title: { display: true, text: "Orders" } },
          y1: { position: "right", min: 0, suggestedMax: 1, grid: { drawOnChartArea: false }, title: { display: true, text: "GMV" } },
        },
      },
    });
  }
  draw();
  document.body.addEventListener("htmx:afterSettle", draw);
})();
