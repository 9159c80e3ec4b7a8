// Filters and sorts the findings table. No dependencies, no network.
// The page is complete without it: every finding is in the table.
(function () {
  "use strict";
  var table = document.getElementById("findings");
  var form = document.getElementById("filters");
  if (!table || !form) {
    return;
  }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = rows.map(function (row) {
    return row.textContent.replace(/\s+/g, " ").toLowerCase();
  });
  var query = document.getElementById("filter-text");
  var status = document.getElementById("filter-status");
  var severity = document.getElementById("filter-severity");
  var shown = document.getElementById("shown-count");
  var none = document.getElementById("no-match");

  function apply() {
    var needle = query.value.trim().replace(/\s+/g, " ").toLowerCase();
    var wantStatus = status.value;
    var wantSeverity = severity.value;
    var count = 0;
    rows.forEach(function (row, i) {
      var visible = (!needle || text[i].indexOf(needle) !== -1) &&
        (!wantStatus || row.getAttribute("data-status") === wantStatus) &&
        (!wantSeverity || row.getAttribute("data-severity") === wantSeverity);
      row.hidden = !visible;
      if (visible) {
        count += 1;
      }
    });
    shown.textContent = String(count);
    none.hidden = count !== 0;
  }

  function sortBy(column, th) {
    var heads = table.tHead.rows[0].cells;
    var direction = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    Array.prototype.forEach.call(heads, function (h) {
      h.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", direction === 1 ? "ascending" : "descending");
    var numeric = th.getAttribute("data-type") === "number";
    var keyed = rows.map(function (row, i) {
      var cell = row.cells[column];
      var key = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim().toLowerCase();
      return { key: numeric ? Number(key) : key, index: i, row: row };
    });
    keyed.sort(function (a, b) {
      if (a.key < b.key) {
        return -direction;
      }
      if (a.key > b.key) {
        return direction;
      }
      return a.index - b.index;
    });
    keyed.forEach(function (k) {
      body.appendChild(k.row);
    });
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
    var button = th.querySelector("button");
    if (button) {
      button.addEventListener("click", function () {
        sortBy(column, th);
      });
    }
  });
  // "input" while typing; "change" and "search" when the box is cleared.
  query.addEventListener("input", apply);
  query.addEventListener("change", apply);
  query.addEventListener("search", apply);
  status.addEventListener("change", apply);
  severity.addEventListener("change", apply);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  form.hidden = false;
  apply();
}());
