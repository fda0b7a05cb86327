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
      type: "line",
      data: {
        labels: figures.labels,
        datasets: [
          { label: "Orders", data: figures.series.Orders, borderColor: "#fe2c55", yAxisID: "y", tension: 0.25 },
          { label: "GMV", data: figures.series.GMV, borderColor: "#25c2bd", yAxisID: "y1", tension: 0.25 },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          y: { position: "left", min: 0, suggestedMax: 1 },
          y1: { position: "right", min: 0, suggestedMax: 1, grid: { drawOnChartArea: false } },
        },
      },
    });
  }
  draw();
  document.body.addEventListener("htmx:afterSettle", draw);
})();
