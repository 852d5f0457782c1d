// The office's keyboard shortcuts in the admin (docs/office.md lists them). A static file: the
// Content-Security-Policy allows no inline script. Nothing here is needed to work the pages: every
// key only does what a click on a visible control does.
(function () {
  "use strict";

  function isTyping(el) {
    if (!el) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag !== "INPUT") return false;
    return ["checkbox", "radio", "submit", "button", "reset"].indexOf(el.type) === -1;
  }

  function go(id) {
    var link = document.getElementById(id);
    if (link && link.href) window.location.assign(link.href);
    return !!link;
  }

  function toggleHelp() {
    var help = document.getElementById("office-keys");
    if (!help) return;
    help.open = !help.open;
    if (help.open) help.querySelector("summary").focus();
  }

  // Only one filter drop-down open at a time; a click elsewhere or Escape closes it.
  function closeFilters(except) {
    document.querySelectorAll("details.office-filter[open]").forEach(function (d) {
      if (d !== except) d.open = false;
    });
  }
  document.addEventListener("toggle", function (event) {
    var d = event.target;
    if (d.classList && d.classList.contains("office-filter") && d.open) closeFilters(d);
  }, true);
  document.addEventListener("click", function (event) {
    if (!event.target.closest("details.office-filter")) closeFilters(null);
  });

  // --- a queue page: move through the rows ------------------------------------------------
  var rows = Array.prototype.slice.call(document.querySelectorAll("#result_list tbody tr"));
  var current = -1;

  function rowLink(row) {
    return row.querySelector("a.review-link") || row.querySelector("th a, td a");
  }

  function focusRow(i) {
    if (!rows.length) return;
    i = Math.max(0, Math.min(rows.length - 1, i));
    if (current >= 0 && rows[current]) rows[current].classList.remove("kb-focus");
    current = i;
    var row = rows[current];
    row.classList.add("kb-focus");
    var link = rowLink(row);
    if (link) link.focus();
    row.scrollIntoView({ block: "nearest" });
  }

  function queueKey(event) {
    var key = event.key;
    if (key === "j") { focusRow(current + 1); return true; }
    if (key === "k") { focusRow(current < 0 ? 0 : current - 1); return true; }
    if (key === "o" && current >= 0) {
      var link = rowLink(rows[current]);
      if (link) window.location.assign(link.href);
      return true;
    }
    if (key === "x" && current >= 0) {
      var box = rows[current].querySelector("input.action-select");
      if (box) box.click();
      return true;
    }
    if (key === "/") {
      var search = document.getElementById("searchbar");
      if (search) { search.focus(); search.select(); return true; }
    }
    return false;
  }

  // --- the review page: decide and move on --------------------------------------------------
  function reviewKey(event) {
    var key = event.key;
    if (/^[1-4]$/.test(key)) {
      var choice = document.querySelector('input[name="decision"][data-key="' + key + '"]');
      if (choice) { choice.click(); choice.focus(); }
      return true;
    }
    if (key === "r") {
      var relevant = document.getElementById("id_relevant");
      if (relevant) { relevant.click(); relevant.focus(); }
      return true;
    }
    if (key === "s") {
      var save = document.getElementById("record-next");
      if (save) save.click();
      return !!save;
    }
    if (key === "j" || key === "n") return go("queue-next");
    if (key === "k" || key === "p") return go("queue-previous");
    if (key === "u") return go("queue-back");
    return false;
  }

  var onReview = !!document.querySelector(".office-review");

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey) return;
    // Ctrl+Enter (Cmd+Enter on a Mac) records and moves on, even from the note box.
    if (onReview && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      var save = document.getElementById("record-next");
      if (save) { event.preventDefault(); save.click(); }
      return;
    }
    if (event.key === "Escape") {
      closeFilters(null);
      var help = document.getElementById("office-keys");
      if (help && help.open) help.open = false;
      return;
    }
    if (event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    if (event.key === "?") { event.preventDefault(); toggleHelp(); return; }
    var handled = onReview ? reviewKey(event) : queueKey(event);
    if (handled) event.preventDefault();
  });
})();
