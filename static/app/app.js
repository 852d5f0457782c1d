// Small glue for htmx + Bootstrap; no inline scripts (the CSP forbids them).
(function () {
  "use strict";
  // Send the CSRF token with every htmx request.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector('meta[name="csrf-token"]');
    if (token) event.detail.headers["X-CSRFToken"] = token.content;
  });

  // Messages for screen readers and eyes: a toast in a polite live region.
  function toastHost() {
    var host = document.getElementById("toast-host");
    if (!host) {
      host = document.createElement("div");
      host.id = "toast-host";
      host.className = "toast-container position-fixed bottom-0 end-0 p-3";
      host.setAttribute("aria-live", "polite");
      host.setAttribute("aria-atomic", "true");
      document.body.appendChild(host);
    }
    return host;
  }
  function showMessage(text, tone) {
    var el = document.createElement("div");
    el.className = "toast align-items-center border-0 text-bg-" + (tone || "dark");
    el.setAttribute("role", tone === "danger" ? "alert" : "status");
    var row = document.createElement("div");
    row.className = "d-flex";
    var body = document.createElement("div");
    body.className = "toast-body";
    body.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close btn-close-white me-2 m-auto";
    close.setAttribute("data-bs-dismiss", "toast");
    close.setAttribute("aria-label", "Close");
    row.appendChild(body);
    row.appendChild(close);
    el.appendChild(row);
    toastHost().appendChild(el);
    var toast = bootstrap.Toast.getOrCreateInstance(el, { delay: 6000 });
    el.addEventListener("hidden.bs.toast", function () { el.remove(); });
    toast.show();
  }
  window.rssShowMessage = showMessage;
  document.body.addEventListener("showMessage", function (event) {
    var value = event.detail && (event.detail.value !== undefined ? event.detail.value : event.detail);
    if (typeof value === "string") showMessage(value);
  });

  // Windows (Bootstrap modals) loaded by htmx into #modal-host: show on load, return focus on
  // close (to the same control, found again by id when its row was re-rendered meanwhile).
  var opener = null;
  var openerId = null;
  var stale = false;
  document.addEventListener("click", function (event) {
    var trigger = event.target.closest("[data-hx-target='#modal-host']");
    if (trigger) {
      opener = trigger;
      openerId = trigger.id || null;
    }
  });
  function focusAfterClose() {
    var target = opener && document.body.contains(opener) ? opener : null;
    if (!target && openerId) target = document.getElementById(openerId);
    if (target) target.focus();
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "modal-host") return;
    var el = event.detail.target.querySelector(".modal");
    if (!el) return;
    var modal = bootstrap.Modal.getOrCreateInstance(el);
    el.addEventListener("shown.bs.modal", function () { autofocus(el); }, { once: true });
    el.addEventListener("hidden.bs.modal", function () {
      modal.dispose();
      event.detail.target.innerHTML = "";
      if (stale) {
        window.location.reload();
        return;
      }
      focusAfterClose();
    }, { once: true });
    modal.show();
  });
  function autofocus(root) {
    var el = root.querySelector("[data-autofocus]") ||
      root.querySelector(".modal-body input:not([type=hidden]):not([disabled]), .modal-body select, .modal-body textarea");
    if (el) el.focus();
  }
  // Content replaced inside an open window: put the focus where the new content asks for it.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (target.closest && target.closest("#modal-host")) {
      var wanted = target.querySelector("[data-autofocus]");
      if (wanted) wanted.focus();
    }
  });
  // A closed alert can hand the focus on (the "Faculty member added" OK button).
  document.addEventListener("closed.bs.alert", function (event) {
    var button = event.target.querySelector("[data-then-focus]");
    var selector = button && button.getAttribute("data-then-focus");
    var next = selector && document.querySelector(selector);
    if (next) next.focus();
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-then-focus]");
    if (!button) return;
    var next = document.querySelector(button.getAttribute("data-then-focus"));
    if (next) setTimeout(function () { next.focus(); }, 0);
  });
  // A server response can close the window: HX-Trigger: {"closeModal": true}
  document.body.addEventListener("closeModal", function () {
    var el = document.querySelector("#modal-host .modal");
    if (el) bootstrap.Modal.getOrCreateInstance(el).hide();
  });
  // Changes that moved many rows: reload the dashboard when the window closes.
  document.body.addEventListener("dashboardStale", function (event) {
    var value = event.detail && event.detail.value;
    if (value !== false) stale = true;
  });
  // Refusals and failures say what happened instead of doing nothing.
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    var text = {
      403: "You can see this session but not change it.",
      404: "Not found: it may have been removed, or it is not in your series.",
      405: "That action is not allowed here.",
      413: "The file is too large.",
    }[status] || "Something went wrong (" + status + "). Please try again.";
    showMessage(text, "danger");
  });
  document.addEventListener("htmx:sendError", function () {
    showMessage("The server could not be reached. Check the connection and try again.", "danger");
  });
  // Confirmation for destructive actions without inline JS: data-confirm="Are you sure?"
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);
  document.addEventListener("htmx:confirm", function (event) {
    var message = event.detail.elt.getAttribute("data-confirm");
    if (!message) return;
    event.preventDefault();
    if (window.confirm(message)) event.detail.issueRequest(true);
  });
  // Tooltips for the COI hover texts.
  function tooltips(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (el) {
      bootstrap.Tooltip.getOrCreateInstance(el);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { tooltips(document); });
  document.addEventListener("htmx:afterSettle", function (event) { tooltips(event.detail.target); });
  document.addEventListener("htmx:oobAfterSwap", function (event) { tooltips(event.detail.target); });
  // A row about to be replaced: hide its open tooltips so none is left floating.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.querySelectorAll) return;
    target.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (el) {
      var tip = bootstrap.Tooltip.getInstance(el);
      if (tip) tip.dispose();
    });
  });
})();
