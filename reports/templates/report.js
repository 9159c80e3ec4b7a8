// Filters and sorts tables; shared by the scan and program reports. No
// dependencies, no network. The page is complete without it: every row is
// in its table.
//
// A `<form class="filters" data-table="ID" data-none="ID2">` filters the
// rows of table ID: its search box by each row's text, each
// `<select name="X">` by each row's `data-X` attribute. Its `<output>`'s
// `<span>` shows how many rows are left, and element ID2 appears when none
// is. A button in a header cell of the table sorts by that column: by a
// cell's `data-sort` when it has one, else by its text, and as numbers
// when the header cell has `data-type="number"`.
(function () {
  "use strict";

  function setup(form) {
    var table = document.getElementById(form.getAttribute("data-table"));
    if (!table || !table.tBodies.length) {
      return;
    }
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var text = rows.map(function (row) {
      return row.textContent.replace(/\s+/g, " ").toLowerCase();
    });
    var query = form.querySelector("input[type=search]");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[name]"));
    var shown = form.querySelector("output span");
    var none = document.getElementById(form.getAttribute("data-none"));

    function apply() {
      var needle = query ? query.value.trim().replace(/\s+/g, " ").toLowerCase() : "";
      var count = 0;
      rows.forEach(function (row, i) {
        var visible = (!needle || text[i].indexOf(needle) !== -1) &&
          selects.every(function (select) {
            return !select.value || row.getAttribute("data-" + select.name) === select.value;
          });
        row.hidden = !visible;
        if (visible) {
          count += 1;
        }
      });
      if (shown) {
        shown.textContent = String(count);
      }
      if (none) {
        none.hidden = count !== 0;
      }
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
    if (query) {
      // "input" while typing; "change" and "search" when the box is cleared.
      query.addEventListener("input", apply);
      query.addEventListener("change", apply);
      query.addEventListener("search", apply);
    }
    selects.forEach(function (select) {
      select.addEventListener("change", apply);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.hidden = false;
    apply();
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.filters[data-table]"), setup);
}());
