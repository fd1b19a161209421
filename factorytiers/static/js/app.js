// Small progressive enhancements; every page works without them.

// An irreversible action (submit, recommend, recognize, report, publish, revoke…) asks first:
// its button carries the question in data-confirm.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
});

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".js-autosubmit").forEach((el) => {
    el.addEventListener("change", () => el.form.submit());
  });

  // Suggest the sector (所属行业) from the chosen industry code's 大类; the user confirms it.
  const mapping = document.getElementById("division-sectors");
  const industry = document.getElementById("id_industry");
  const sector = document.getElementById("id_sector");
  const hint = document.getElementById("sector-suggestion");
  if (mapping && industry && sector) {
    const divisions = JSON.parse(mapping.textContent);
    const suggest = () => {
      const code = (industry.value.trim().split(/\s+/)[0] || "").slice(0, 2);
      const suggestion = divisions[code];
      if (hint) hint.textContent = suggestion ? `按行业代码建议：${suggestion}` : "";
      if (suggestion && !sector.value) sector.value = suggestion;
    };
    industry.addEventListener("change", suggest);
    industry.addEventListener("input", suggest);
    suggest();
  }

  // 全选本页: a box that ticks or clears every row box of its form (data-select-all names them).
  document.querySelectorAll("[data-select-all]").forEach((all) => {
    const boxes = () => all.form.querySelectorAll(`input[type=checkbox][name="${all.dataset.selectAll}"]`);
    all.addEventListener("change", () => boxes().forEach((box) => { box.checked = all.checked; }));
  });

  // Show the country only for overseas factories.
  const overseas = document.getElementById("id_is_overseas");
  const country = document.getElementById("id_country");
  if (overseas && country) {
    const box = country.closest(".mb-3");
    const sync = () => { box.hidden = !overseas.checked; };
    overseas.addEventListener("change", sync);
    sync();
  }
});
