/* Sort and filter the quartier overview table in the browser; no external script. */
(function () {
  function text(row, col) { return row.cells[col].textContent.trim(); }
  // the value a column filter compares: the status label without its date, else the cell text
  function value(row, col) {
    var status = row.cells[col].querySelector(".clss-status");
    return (status ? status.textContent : row.cells[col].textContent).trim();
  }
  // UI strings from the site's gettext catalog (theme main.html)
  var strings = {};
  try { strings = JSON.parse(document.getElementById("clss-strings").textContent); } catch (e) { /* none */ }
  function setup(table) {
    if (table.dataset.clssReady) return;
    table.dataset.clssReady = "1";
    var tbody = table.tBodies[0];
    var headers = table.tHead.rows[0].cells;
    // narrow screens show each row as a card: every cell is labelled by its column header
    Array.prototype.forEach.call(tbody.rows, function (row) {
      Array.prototype.forEach.call(row.cells, function (cell, col) {
        if (headers[col]) cell.setAttribute("data-label", headers[col].textContent.trim());
      });
    });
    Array.prototype.forEach.call(headers, function (th, col) {
      var button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", dir);
        var rows = Array.prototype.slice.call(tbody.rows);
        var collator = new Intl.Collator(document.documentElement.lang, { numeric: true, sensitivity: "base" });
        rows.sort(function (a, b) { var r = collator.compare(text(a, col), text(b, col)); return dir === "ascending" ? r : -r; });
        rows.forEach(function (r) { tbody.appendChild(r); });
      });
    });
    var tools = document.querySelector('.clss-table-tools');
    if (!tools) return;
    tools.hidden = false;
    var controls = tools.querySelectorAll("[data-filter-for='" + table.id + "']");
    var count = document.createElement("p");
    count.className = "clss-table-count";
    count.setAttribute("role", "status");  // a polite live region: screen readers announce each new count
    count.setAttribute("aria-live", "polite");
    count.setAttribute("aria-atomic", "true");
    tools.insertAdjacentElement("afterend", count);
    var total = tbody.rows.length;
    function apply() {
      var shown = 0;
      Array.prototype.forEach.call(tbody.rows, function (row) {
        var ok = true;
        Array.prototype.forEach.call(controls, function (c) {
          var v = c.value.trim().toLowerCase();
          if (!v) return;
          if (c.dataset.filterCol) ok = ok && value(row, +c.dataset.filterCol).toLowerCase() === v;
          else ok = ok && row.textContent.toLowerCase().indexOf(v) !== -1;
        });
        row.hidden = !ok;
        if (ok) shown++;
      });
      var filtered = Array.prototype.some.call(controls, function (c) { return c.value.trim() !== ""; });
      if (!filtered) count.textContent = "";
      else if (shown === 0) count.textContent = strings.rows_none || "0";
      else count.textContent = (strings.rows_shown || "%(shown)s / %(total)s").replace("%(shown)s", shown).replace("%(total)s", total);
    }
    Array.prototype.forEach.call(controls, function (c) { c.addEventListener("input", apply); c.addEventListener("change", apply); });
  }
  function init() { document.querySelectorAll("table.clss-sortable").forEach(setup); }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
