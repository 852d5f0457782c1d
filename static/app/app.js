// Small glue for htmx + Bootstrap; no inline scripts (the CSP forbids them).
(function () {
  "use strict";
  // Send the CSRF token with every htmx request.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector('meta[name="csrf-token"]');
    if (token) event.detail.headers["X-CSRFToken"] = token.content;
  });

  // Windows (Bootstrap modals) loaded by htmx into #modal-host: show on load, return focus on close.
  var opener = null;
  document.addEventListener("click", function (event) {
    var trigger = event.target.closest("[hx-target='#modal-host']");
    if (trigger) opener = trigger;
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "modal-host") return;
    var el = event.detail.target.querySelector(".modal");
    if (!el) return;
    var modal = bootstrap.Modal.getOrCreateInstance(el);
    el.addEventListener("hidden.bs.modal", function () {
      modal.dispose();
      event.detail.target.innerHTML = "";
      if (opener && document.body.contains(opener)) opener.focus();
    }, { once: true });
    modal.show();
  });
  // A server response can close the window: HX-Trigger: {"closeModal": true}
  document.body.addEventListener("closeModal", function () {
    var el = document.querySelector("#modal-host .modal");
    if (el) bootstrap.Modal.getOrCreateInstance(el).hide();
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
    root.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (el) {
      bootstrap.Tooltip.getOrCreateInstance(el);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { tooltips(document); });
  document.addEventListener("htmx:afterSettle", function (event) { tooltips(event.detail.target); });
})();
