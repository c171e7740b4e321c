/* Sort and filter the quartier overview table in the browser; no external script. */
(function () {
  function text(row, col) { return row.cells[col].textContent.trim(); }
  function setup(table) {
    if (table.dataset.clssReady) return;
    table.dataset.clssReady = "1";
    var tbody = table.tBodies[0];
    var headers = table.tHead.rows[0].cells;
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
    function apply() {
      var shown = 0;
      Array.prototype.forEach.call(tbody.rows, function (row) {
        var ok = true;
        Array.prototype.forEach.call(controls, function (c) {
          var v = c.value.trim().toLowerCase();
          if (!v) return;
          if (c.dataset.filterCol) ok = ok && text(row, +c.dataset.filterCol).toLowerCase() === v;
          else ok = ok && row.textContent.toLowerCase().indexOf(v) !== -1;
        });
        row.hidden = !ok;
        if (ok) shown++;
      });
    }
    Array.prototype.forEach.call(controls, function (c) { c.addEventListener("input", apply); c.addEventListener("change", apply); });
  }
  function init() { document.querySelectorAll("table.clss-sortable").forEach(setup); }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  else document.addEventListener("DOMContentLoaded", init);
})();
