// The live document: poll "what changed since my cursor, and who is here" (editor/live.py), re-render
// the changed rows in place, never touch the cell being typed in, and show who is editing which cell.
(function () {
  "use strict";

  var root = document.getElementById("live");
  if (!root) return;
  var cursor = root.dataset.cursor;
  var pollMs = 1000 * parseInt(root.dataset.pollSeconds || "2", 10);
  var idleMs = 1000 * parseInt(root.dataset.idleSeconds || "300", 10);
  var tab = (window.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now())
    .replace(/[^A-Za-z0-9]/g, "").slice(0, 32);
  var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  var lastInput = Date.now();
  var timer = null;
  var busy = false;
  var present = [];

  ["keydown", "pointerdown", "mousemove", "focusin"].forEach(function (name) {
    document.addEventListener(name, function () {
      var wasIdle = Date.now() - lastInput > idleMs;
      lastInput = Date.now();
      if (wasIdle) schedule(0);
    }, { passive: true });
  });

  function openCell() { return document.querySelector("td.cell.open"); }

  function schedule(ms) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(poll, ms);
  }

  function poll() {
    timer = null;
    if (busy) { schedule(pollMs); return; }
    if (Date.now() - lastInput > idleMs) return; // idle: stop; presence expires; input resumes the poll
    busy = true;
    var body = new URLSearchParams({ tab: tab, cursor: cursor || "" });
    var open = openCell();
    if (open) { body.set("language", open.dataset.language); body.set("position", open.dataset.first); }
    fetch(root.dataset.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
    }).then(function (response) {
      if (!response.ok) throw new Error("poll " + response.status);
      return response.json();
    }).then(function (data) {
      cursor = data.cursor;
      present = data.present || [];
      return apply(data);
    }).catch(function () { /* the next poll tries again */ })
      .then(function () { busy = false; showPresence(); schedule(pollMs); });
  }

  // --- changes ----------------------------------------------------------------------------------

  function loadedRange() {
    var rows = document.querySelectorAll("#rows tr.row");
    if (!rows.length) return null;
    var more = document.querySelector("#rows tr.more");
    var last = parseInt(rows[rows.length - 1].dataset.position, 10);
    return { first: 0, last: more ? last : Infinity };
  }

  function apply(data) {
    if (!data.changes || !data.changes.length) return null;
    noticeOpenCell(data.changes);
    var range = loadedRange();
    var work = (data.regions || []).filter(function (region) {
      return range && region[0] <= range.last;
    }).map(function (region) { return rerender(region[0], Math.min(region[1], range.last)); });
    return Promise.all(work).then(function () {
      htmx.trigger(document.body, "workbench:changed", { live: true });
    });
  }

  function rerender(low, high) {
    var query = new URLSearchParams(window.location.search);
    query.set("after", String(low - 1));
    query.set("until", String(high));
    return fetch(root.dataset.rowsUrl + "?" + query.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) { replaceRows(low, high, html); });
  }

  function replaceRows(low, high, html) {
    var template = document.createElement("template");
    template.innerHTML = "<table><tbody>" + html + "</tbody></table>";
    var fresh = Array.from(template.content.querySelectorAll("tr.row"));
    var old = Array.from(document.querySelectorAll("#rows tr.row")).filter(function (row) {
      var p = parseInt(row.dataset.position, 10);
      return p >= low && p <= high;
    });
    var open = openCell();
    var twin = null;
    if (open && old.some(function (row) { return row.contains(open); })) {
      // the open cell itself (its textarea, caret and typed text) moves into the new rows untouched
      twin = template.content.getElementById(open.id);
      if (!twin) return; // the span changed shape under the user: the notice says so; keep the rows
    }
    var active = document.activeElement;
    var focusedCell = active && active.matches && active.matches("td.cell") ? active.id : null;
    var selection = active && active.tagName === "TEXTAREA" ? [active.selectionStart, active.selectionEnd] : null;
    var parent = document.getElementById("rows");
    var anchor = old.length ? old[old.length - 1].nextElementSibling : nextRowAfter(high);
    fresh.forEach(function (row) { parent.insertBefore(row, anchor); });
    if (twin) twin.replaceWith(open);
    old.forEach(function (row) { row.remove(); });
    fresh.forEach(function (row) { htmx.process(row); });
    if (selection && document.contains(active)) {
      active.focus();
      active.setSelectionRange(selection[0], selection[1]);
    } else if (focusedCell && document.getElementById(focusedCell)) {
      document.getElementById(focusedCell).focus();
    }
  }

  function nextRowAfter(position) {
    return Array.from(document.querySelectorAll("#rows tr")).filter(function (row) {
      return row.classList.contains("more") || parseInt(row.dataset.position, 10) > position;
    })[0] || null;
  }

  function noticeOpenCell(changes) {
    var open = openCell();
    if (!open) return;
    var first = parseInt(open.dataset.first, 10), last = parseInt(open.dataset.last, 10);
    var form = open.querySelector("form");
    var mine = form && form.elements.version ? form.elements.version.value : "";
    var newer = changes.filter(function (c) {
      return c.language === open.dataset.language && c.first <= last && c.last >= first &&
        (!c.live || String(c.version) !== mine);
    });
    if (!newer.length) return;
    var change = newer[newer.length - 1];
    var notice = open.querySelector(".live-notice");
    if (!notice) {
      notice = document.createElement("p");
      notice.className = "live-notice";
      notice.setAttribute("role", "status");
      var host = open.querySelector(".focus") || open;  // shown where the user is typing
      host.insertBefore(notice, host.firstChild);
    }
    notice.textContent = "";
    var who = change.by ? change.by : "someone";
    var mineSelf = change.by && change.by === currentUser();
    var text = !change.live ? who + " re-aligned or merged this span — " :
      (mineSelf ? "you saved a newer version in another tab — " : who + " saved a newer version — ");
    notice.appendChild(document.createTextNode(text));
    var button = document.createElement("button");
    button.type = "button";
    button.className = "js-compare";
    button.textContent = "compare";
    notice.appendChild(button);
  }

  function currentUser() {
    var who = document.querySelector(".topbar .who");
    return who ? who.textContent.trim() : "";
  }

  document.addEventListener("click", function (event) {
    if (!event.target.matches(".js-compare")) return;
    var cell = event.target.closest("td.cell");
    var input = cell && cell.querySelector("textarea.cell-input");
    if (!input) return;
    var url = cell.dataset.url.split("?")[0] + "compare/";
    htmx.ajax("POST", url, {
      target: cell, swap: "outerHTML",
      values: { text: input.value, rows: cell.getAttribute("rowspan") || "1" },
    });
  });

  // --- presence ---------------------------------------------------------------------------------

  function showPresence() {
    document.querySelectorAll(".presence-badge").forEach(function (badge) { badge.remove(); });
    root.textContent = "";
    if (!present.length) return;
    var names = [];
    present.forEach(function (entry) {
      var label = entry.me ? "you (another tab)" : entry.user;
      if (names.indexOf(label) < 0) names.push(label);
      if (!entry.language || entry.position === null) return;
      var cell = Array.from(document.querySelectorAll('td.cell[data-language="' + entry.language + '"]')).filter(function (c) {
        return parseInt(c.dataset.first, 10) <= entry.position && parseInt(c.dataset.last, 10) >= entry.position;
      })[0];
      if (!cell) return;
      var badge = document.createElement("p");
      badge.className = "presence-badge";
      badge.textContent = (entry.me ? "you are editing this in another tab" : entry.user + " is editing");
      cell.insertBefore(badge, cell.firstChild);
    });
    root.appendChild(document.createTextNode("Also here: " + names.join(", ")));
  }

  // --- keep the metrics table open across its refresh ------------------------------------------

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "metrics") root.dataset.metricsOpen = target.open ? "1" : "";
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var metrics = document.getElementById("metrics");
    if (metrics && root.dataset.metricsOpen) metrics.open = true;
    if (event.detail.target && event.detail.target.matches && event.detail.target.matches("td.cell")) showPresence();
  });

  window.addEventListener("pagehide", function () {
    var data = new FormData();
    data.append("tab", tab);
    data.append("csrfmiddlewaretoken", csrf);
    if (navigator.sendBeacon) navigator.sendBeacon(root.dataset.leaveUrl, data);
  });

  schedule(0);
})();
