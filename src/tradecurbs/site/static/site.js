// Filters and sorting for a table page. Without JavaScript the full list is shown.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("records");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);

  if (form) {
    form.hidden = false;
    var shown = document.getElementById("shown");
    var apply = function () {
      var by = form.elements.by.value, against = form.elements.against.value;
      var status = form.elements.status.value, year = form.elements.year.value;
      var words = form.elements.text.value.toLowerCase().split(/\s+/).filter(Boolean);
      var count = 0;
      rows.forEach(function (row) {
        var d = row.dataset;
        var ok = (!by || d.by === by) &&
                 (!against || (" " + d.against + " ").indexOf(" " + against + " ") >= 0) &&
                 (!status || d.status === status) && (!year || d.year === year) &&
                 words.every(function (w) { return d.text.indexOf(w) >= 0 || row.textContent.toLowerCase().indexOf(w) >= 0; });
        row.hidden = !ok;
        if (ok) { count += 1; }
      });
      shown.textContent = count + " of " + rows.length + " records";
    };
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell, index) {
    if (!cell.dataset.sort) { return; }
    cell.tabIndex = 0;
    var sort = function () {
      var ascending = cell.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
      cell.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = a.cells[index].textContent.trim(), y = b.cells[index].textContent.trim();
        return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
      });
      rows.forEach(function (row) { body.appendChild(row); });
    };
    cell.addEventListener("click", sort);
    cell.addEventListener("keydown", function (event) { if (event.key === "Enter") { sort(); } });
  });
}());
