// The province home's charts: data from the page's json_script block (no inline script).
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("home-chart-data");
  if (!source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const charts = [];
  const draw = (id, option, heading) => {
    const holder = document.getElementById(id);
    if (!holder) return;
    const chart = echarts.init(holder);
    chart.setOption({
      title: { text: heading || `${data.year} · ${holder.dataset.title}`, left: "center", textStyle: { fontSize: 13 } },
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
  // The same figures over the years, one series per year side by side.
  const trend = data.trend;
  const span = `${trend.years[0]}–${trend.years[trend.years.length - 1]}`;
  const perYear = (rows) => rows.map((values, index) => ({ name: String(trend.years[index]), type: "bar", data: values }));
  const titled = (id) => `${span} · ${document.getElementById(id)?.dataset.title || ""}`;
  draw("chart-trend-distribution", {
    legend: { top: 22 },
    xAxis: { type: "category", data: data.levels },
    yAxis: { type: "value", minInterval: 1 },
    series: perYear(trend.distribution),
  }, titled("chart-trend-distribution"));
  draw("chart-trend-penetration", {
    legend: { top: 22 },
    xAxis: { type: "category", data: data.units, ...rotated },
    yAxis: { type: "value", max: 100 },
    series: perYear(trend.penetration),
  }, titled("chart-trend-penetration"));
  draw("chart-trend-tiers", {
    legend: { top: 22 },
    xAxis: { type: "category", data: trend.years.map(String) },
    yAxis: { type: "value", minInterval: 1 },
    series: data.tiers.map((tier, index) => ({ name: tier, type: "bar", stack: "tiers", data: trend.tiers.map((row) => row[index]) })),
  }, titled("chart-trend-tiers"));
  window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
});
