// The statistics page's charts: data from the page's json_script block (no inline script).
document.addEventListener("DOMContentLoaded", () => {
  const holder = document.getElementById("level-chart");
  const source = document.getElementById("statistics-chart-data");
  if (!holder || !source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const chart = echarts.init(holder);
  chart.setOption({
    title: { text: data.title, left: "center", textStyle: { fontSize: 14 } },
    tooltip: {},
    xAxis: { type: "category", data: data.levels },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.counts, label: { show: true, position: "top" } }],
  });
  window.addEventListener("resize", () => chart.resize());
  holder.dataset.ready = "1";
});
