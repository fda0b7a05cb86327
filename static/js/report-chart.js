// Draws the report chart from the JSON the page embeds; the table below is the accessible fallback.
(function () {
  var data = document.getElementById("report-chart-data");
  var canvas = document.getElementById("report-chart");
  if (!data || !canvas || !window.Chart) return;
  var chart = JSON.parse(data.textContent);
  var colours = ["#fe2c55", "#25c2bd", "#6366f1", "#f59e0b"];
  var names = Object.keys(chart.series);
  var money = new Intl.NumberFormat(undefined, { style: "currency", currency: chart.currency || "USD" });
  function isMoney(name) { return (chart.money || []).indexOf(name) !== -1; }
  // Every series is a count or an amount: the axis starts at 0 (an empty period gets 0–1, not
  // Chart.js's -1 to 1), counts tick in whole numbers and amounts read as currency.
  function axis(name, extra) {
    var ticks = isMoney(name)
      ? { callback: function (value) { return money.format(value); } }
      : { precision: 0 };
    return Object.assign({ min: 0, suggestedMax: 1, ticks: ticks, title: { display: names.length > 1, text: name } }, extra);
  }
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
          tension: 0, // straight segments: a curve would draw values the data does not have
          pointRadius: chart.labels.length > 40 ? 0 : 2,
        };
      }),
    },
    options: {
      animation: false, // a report is read, not watched: drawn at once, as the LIVE chart is
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      plugins: {
        tooltip: {
          callbacks: {
            label: function (item) {
              var name = item.dataset.label;
              return name + ": " + (isMoney(name) ? money.format(item.parsed.y) : item.formattedValue);
            },
          },
        },
      },
      scales: names.length > 1
        ? { y: axis(names[0], { position: "left" }), y1: axis(names[1], { position: "right", grid: { drawOnChartArea: false } }) }
        : { y: axis(names[0] || "", {}) },
    },
  });
})();
