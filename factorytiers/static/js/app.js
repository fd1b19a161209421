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

// Wide tables scroll inside their own box, never the page: every table of <main> not yet in a
// .table-responsive gets one. A box that really scrolls can be reached and scrolled with the
// keyboard (tabindex=0, named after the table's caption or the nearest heading).
function wrapTables(root) {
  root.querySelectorAll("main table").forEach((table) => {
    if (table.closest(".table-responsive")) return;
    const box = document.createElement("div");
    box.className = "table-responsive";
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
  });
  markScrollableTables();
}

function markScrollableTables() {
  document.querySelectorAll("main .table-responsive").forEach((box) => {
    if (box.scrollWidth > box.clientWidth + 1) {
      if (!box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        const caption = box.querySelector("caption");
        let heading = box.previousElementSibling;
        while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
        const name = (caption || heading || document.querySelector("main h1"))?.textContent.trim();
        box.setAttribute("aria-label", name ? `${name}（可左右滚动）` : "表格（可左右滚动）");
      }
    } else if (box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  });
}

let resizeTimer;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(markScrollableTables, 150);
});
// Tables that htmx swaps in get the same box.
document.addEventListener("htmx:afterSettle", (event) => wrapTables(event.target.ownerDocument || document));

document.addEventListener("DOMContentLoaded", () => {
  wrapTables(document);

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
