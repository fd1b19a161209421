// The radar chart of the maturity result page: data from the page's json_script block.
document.addEventListener("DOMContentLoaded", () => {
  const holder = document.getElementById("radar-chart");
  const source = document.getElementById("radar-data");
  if (!holder || !source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  if (!data.indicators || data.indicators.length < 3) {
    holder.hidden = true;
    return;
  }
  const chart = echarts.init(holder);
  chart.setOption({
    tooltip: {},
    legend: { bottom: 0, data: data.series.map((s) => s.name) },
    radar: { indicator: data.indicators, radius: "65%" },
    series: [{
      type: "radar",
      data: data.series.map((s) => ({ name: s.name, value: s.values, areaStyle: { opacity: 0.15 } })),
    }],
  });
  window.addEventListener("resize", () => chart.resize());
  holder.dataset.ready = "1";
});
