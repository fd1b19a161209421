// The province home's charts: data from the page's json_script block (no inline script).
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("home-chart-data");
  if (!source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const charts = [];
  const draw = (id, option) => {
    const holder = document.getElementById(id);
    if (!holder) return;
    const chart = echarts.init(holder);
    chart.setOption({
      title: { text: `${data.year} · ${holder.dataset.title}`, left: "center", textStyle: { fontSize: 13 } },
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, bottom: 60, top: 48 },
      ...option,
    });
    charts.push(chart);
    holder.dataset.ready = "1";
  };
  const rotated = { axisLabel: { rotate: 40, interval: 0, fontSize: 10 } };
  const stacked = (names) =>
    data.tiers.map((tier, index) => ({ name: tier, type: "bar", stack: "tiers", data: names[index] }));
  draw("chart-distribution", {
    xAxis: { type: "category", data: data.levels },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.distribution, label: { show: true, position: "top" } }],
  });
  draw("chart-penetration", {
    xAxis: { type: "category", data: data.units, ...rotated },
    yAxis: { type: "value", max: 100 },
    series: [{ type: "bar", data: data.penetration }],
  });
  draw("chart-tiers-unit", {
    legend: { top: 22 },
    xAxis: { type: "category", data: data.units, ...rotated },
    yAxis: { type: "value", minInterval: 1 },
    series: stacked(data.tiers_by_unit),
  });
  draw("chart-tiers-sector", {
    legend: { top: 22 },
    xAxis: { type: "category", data: data.sectors },
    yAxis: { type: "value", minInterval: 1 },
    series: stacked(data.tiers_by_sector),
  });
  window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
});
