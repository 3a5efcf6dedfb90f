/* The rubric grid: move with the arrow keys, pick a level with a number key, save each cell at once.
   Progressive enhancement: without this file the grid is a plain form that posts every cell. */
(function () {
  "use strict";
  var form = document.getElementById("grid-form");
  var table = document.getElementById("assessment-grid");
  if (!form || !table || !window.fetch) { return; }
  var status = document.getElementById("grid-status");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  var saveButton = document.getElementById("save-grid");
  // The words come from the template, so they are translated with the rest of the page.
  var text = { saved: status.dataset.savedText + " ", failed: status.dataset.failedText + " " };

  function cellOf(select) { return select.closest("td"); }

  function selectAt(rowIndex, colIndex) {
    var row = table.tBodies[0].rows[rowIndex];
    if (!row) { return null; }
    var cell = row.cells[colIndex];
    return cell ? cell.querySelector("select") : null;
  }

  function save(select) {
    var cell = cellOf(select);
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token.value);
    body.append(select.name, select.value);
    cell.classList.remove("saved", "failed");
    cell.classList.add("saving");
    var label = select.getAttribute("aria-label");
    fetch(form.action || window.location.href, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token.value }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function () {
      cell.classList.remove("saving");
      cell.classList.add("saved");
      select.dataset.saved = select.value;
      status.textContent = text.saved + label;
    }).catch(function () {
      cell.classList.remove("saving");
      cell.classList.add("failed");
      status.textContent = text.failed + label;
    });
  }

  table.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT" && event.target.value) { save(event.target); }
  });

  table.addEventListener("keydown", function (event) {
    var select = event.target;
    if (select.tagName !== "SELECT" || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var cell = cellOf(select);
    var rowIndex = cell.parentElement.sectionRowIndex;
    var colIndex = cell.cellIndex;
    var moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (moves[event.key]) {
      event.preventDefault();
      var target = selectAt(rowIndex + moves[event.key][0], colIndex + moves[event.key][1]);
      if (target) { target.focus(); }
      return;
    }
    if (/^[1-9]$/.test(event.key)) {
      var option = select.options[Number(event.key)];
      event.preventDefault();
      if (option && select.value !== option.value) {
        select.value = option.value;
        save(select);
      }
    }
  });

  table.querySelectorAll("select").forEach(function (select) { select.dataset.saved = select.value; });
  if (saveButton) { saveButton.hidden = true; }
})();
