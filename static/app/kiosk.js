// The check-in kiosk (credit/views/kiosk.py): check-ins are queued on the tablet (localStorage)
// and sent one at a time; each carries a key made here, so a check-in sent twice (the answer
// was lost in a network drop) is recorded once by the server. No inline scripts (CSP).
(function () {
  "use strict";
  var form = document.getElementById("kiosk-form");
  if (!form) return;
  var url = form.getAttribute("data-check-in-url");
  var storeKey = "rss-kiosk-queue:" + form.getAttribute("data-kiosk");
  var input = document.getElementById("kiosk-value");
  var statusEl = document.getElementById("kiosk-status");
  var queueEl = document.getElementById("kiosk-queue");
  var EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
  var CODE = /^RSS-CHECK-IN:/i;
  var SAVED = "You are checked in. (Saved on this tablet while the network is away; it is sent when it comes back.)";
  var sending = false;
  var retryTimer = null;
  var clearTimer = null;
  var current = null; // the key of the check-in of the person standing at the tablet

  function load() {
    try {
      var queue = JSON.parse(window.localStorage.getItem(storeKey) || "[]");
      return Array.isArray(queue) ? queue : [];
    } catch (e) {
      return [];
    }
  }
  function save(queue) {
    try {
      window.localStorage.setItem(storeKey, JSON.stringify(queue));
    } catch (e) { /* storage full or disabled: the check-in stays in memory only */ }
  }
  function drop(key) {
    save(load().filter(function (item) { return item.key !== key; }));
  }
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function say(text, tone) {
    statusEl.textContent = text;
    statusEl.className = "kiosk-status fs-4 mt-4 is-" + (tone || "ok");
    if (clearTimer) window.clearTimeout(clearTimer);
    clearTimer = window.setTimeout(function () { statusEl.textContent = ""; }, 8000);
  }
  function showQueue() {
    var n = load().length;
    queueEl.hidden = n === 0;
    queueEl.textContent = n === 0 ? "" : n + (n === 1 ? " check-in is" : " check-ins are") +
      " saved on this tablet, waiting for the network.";
    form.setAttribute("data-waiting", String(n));
  }
  function later(ms) {
    if (retryTimer) return;
    retryTimer = window.setTimeout(function () { retryTimer = null; flush(); }, ms);
  }

  function send(item) {
    var body = new URLSearchParams();
    body.set("key", item.key);
    body.set("value", item.value);
    body.set("at", String(item.at));
    return window.fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function flush() {
    if (sending) return;
    var queue = load();
    showQueue();
    if (queue.length === 0 || navigator.onLine === false) return;
    sending = true;
    var item = queue[0];
    send(item).then(function (result) {
      sending = false;
      if (result.status === 429 || result.status >= 500) {
        if (item.key === current) say(SAVED, "saved");
        later(5000);
        return;
      }
      // Answered (recorded, or refused for good): never sent again.
      drop(item.key);
      if (item.key === current) {
        current = null;
        say(result.data.message || "Please see the coordinator.", result.status === 200 ? "ok" : "error");
      }
      flush();
    }, function () {
      // No answer (network away, or the answer was lost): kept, sent again with the same key.
      sending = false;
      if (item.key === current) say(SAVED, "saved");
      showQueue();
      later(2000);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var value = input.value.trim();
    if (!EMAIL.test(value) && !CODE.test(value)) {
      say("Type your email address, or scan your check-in code.", "error");
      input.focus();
      return;
    }
    var item = { key: newKey(), value: value, at: Date.now() };
    var queue = load();
    queue.push(item);
    save(queue);
    current = item.key;
    input.value = "";
    input.focus();
    if (navigator.onLine === false) {
      current = null;
      say(SAVED, "saved");
      showQueue();
      return;
    }
    flush();
  });

  window.addEventListener("online", flush);
  window.addEventListener("offline", showQueue);
  window.setInterval(flush, 15000);
  input.focus();
  flush();
})();
