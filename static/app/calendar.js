// The series calendar: drag a session (HTML5 drag and drop) to another day to move it.
// The server checks everything (permission, the series' year, the version); this only posts.
(function () {
  "use strict";
  var dragged = null;
  function cellOf(event) {
    return event.target.closest ? event.target.closest("[data-drop-date]") : null;
  }
  function clear() {
    document.querySelectorAll(".cal-day.drop-over").forEach(function (c) {
      c.classList.remove("drop-over");
    });
  }
  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest ? event.target.closest(".cal-item[draggable='true']") : null;
    if (!item) return;
    dragged = item;
    item.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.id);
  });
  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    clear();
  });
  document.addEventListener("dragover", function (event) {
    var cell = cellOf(event);
    if (!cell || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!cell.classList.contains("drop-over")) {
      clear();
      cell.classList.add("drop-over");
    }
  });
  document.addEventListener("drop", function (event) {
    var cell = cellOf(event);
    if (!cell || !dragged) return;
    event.preventDefault();
    var item = dragged;
    dragged = null;
    clear();
    item.classList.remove("dragging");
    if (cell.contains(item)) return; // dropped on its own day
    var calendar = cell.closest("[data-calendar]");
    htmx.ajax("POST", item.getAttribute("data-move-url"), {
      target: "#window-content",
      swap: "innerHTML",
      values: {
        date: cell.getAttribute("data-drop-date"),
        version: item.getAttribute("data-version"),
        month: calendar ? calendar.getAttribute("data-month") : "",
      },
    });
  });
})();
