// Keyboard-first editing for the workbench editor. No inline scripts: everything hangs off data attributes.
(function () {
  "use strict";

  function cellsOf(language) {
    return Array.from(document.querySelectorAll('td.cell[data-language="' + language + '"]'));
  }

  function rowCell(cell, step) {
    var cells = cellsOf(cell.dataset.language);
    var index = cells.indexOf(cell);
    return cells[index + step] || null;
  }

  function sideCell(cell, step) {
    var row = cell.closest("tr");
    var position = parseInt(cell.dataset.first, 10);
    var all = Array.from(document.querySelectorAll("td.cell"));
    var languages = Array.from(new Set(all.map(function (c) { return c.dataset.language; })));
    var next = languages[languages.indexOf(cell.dataset.language) + step];
    if (!next) return null;
    var inRow = row.querySelector('td.cell[data-language="' + next + '"]');
    if (inRow) return inRow;
    return cellsOf(next).filter(function (c) {
      return parseInt(c.dataset.first, 10) <= position && parseInt(c.dataset.last, 10) >= position;
    })[0] || null;
  }

  function focusCell(cell) {
    if (!cell) return;
    cell.focus();
    cell.scrollIntoView({ block: "nearest" });
  }

  function openCell(cell, mode) {
    if (cell && mode !== "reject" && !cell.dataset.editable) return;
    if (!cell || cell.classList.contains("open")) {
      var input = cell && cell.querySelector("textarea");
      if (input) input.focus();
      return;
    }
    htmx.ajax("GET", cell.dataset.url + "&mode=" + (mode || "edit"), { target: cell, swap: "outerHTML" });
  }

  function cellAt(language, first) {
    return document.getElementById("cell-" + language + "-" + first);
  }

  function sourceOf(cell) {
    var texts = [];
    var first = parseInt(cell.dataset.first, 10), last = parseInt(cell.dataset.last, 10);
    document.querySelectorAll("tr.row").forEach(function (row) {
      var position = parseInt(row.dataset.position, 10);
      if (position >= first && position <= last) texts.push(row.querySelector(".source-text").textContent);
    });
    return texts.join("");
  }

  function nextToTranslate(language, after) {
    return cellsOf(language).filter(function (c) {
      return parseInt(c.dataset.first, 10) > after &&
        (c.dataset.status === "untranslated" || c.dataset.status === "rejected");
    })[0] || null;
  }

  var pendingNext = null;
  var pendingAfterLoad = null;

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var cell = target.closest ? target.closest("td.cell") : null;
    var inInput = target.matches && target.matches("textarea, input, select");

    if (cell && target.matches("textarea.cell-input")) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        var form = target.form;
        if (form.elements.and_submit) form.elements.and_submit.value = event.shiftKey ? "1" : "0";
        pendingNext = { language: cell.dataset.language };
        htmx.trigger(form, "submit");
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        var cancel = cell.querySelector(".js-cancel, .js-take-theirs");
        if (cancel && cell.querySelector(".js-cancel")) htmx.trigger(cancel, "click");
        return;
      }
      if ((event.ctrlKey || event.metaKey) && ["1", "2", "3"].indexOf(event.key) >= 0) {
        var wanted = '.match[data-index="' + event.key + '"] .match-target';
        var match = cell.querySelector(wanted) || document.querySelector("#panel " + wanted);
        if (match) { event.preventDefault(); target.value = match.textContent; }
        return;
      }
      if (event.altKey && (event.key === "h" || event.key === "H" || event.code === "KeyH")) {
        // the history one key away while typing (the cell's History button is hidden by the form)
        event.preventDefault();
        if (cell.dataset.historyUrl) htmx.ajax("GET", cell.dataset.historyUrl, { target: "#panel", swap: "innerHTML" });
        return;
      }
      if (event.altKey && (event.key === "s" || event.key === "S" || event.code === "KeyS")) {
        event.preventDefault();
        target.value = sourceOf(cell);
        return;
      }
    }
    if (cell && event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      focusCell(rowCell(cell, event.key === "ArrowDown" ? 1 : -1));
      return;
    }
    if (cell && event.altKey && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
      event.preventDefault();
      focusCell(sideCell(cell, event.key === "ArrowRight" ? 1 : -1));
      return;
    }
    if (inInput) return;
    if (cell && target === cell) {
      if (event.key === "Enter") { event.preventDefault(); openCell(cell, "edit"); return; }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault(); focusCell(rowCell(cell, event.key === "ArrowDown" ? 1 : -1)); return;
      }
      var button = null;
      if (event.key === "h" || event.key === "H") button = Array.from(cell.querySelectorAll("button")).filter(function (b) { return b.textContent.trim() === "History"; })[0];
      if (event.key === "a" || event.key === "A") button = cell.querySelector("button.approve");
      if (event.key === "r" || event.key === "R") button = cell.querySelector("button.reject");
      if (button) { event.preventDefault(); htmx.trigger(button, "click"); return; }
    }
    if (event.key === "?") {
      event.preventDefault();
      var dialog = document.getElementById("shortcuts");
      if (dialog && !dialog.open) dialog.showModal();
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target.matches(".js-help")) { document.getElementById("shortcuts").showModal(); return; }
    if (target.matches(".js-close-panel")) { document.getElementById("panel").innerHTML = ""; return; }
    var cell = target.closest("td.cell");
    if (!cell) return;
    if (target.matches(".js-edit")) { openCell(cell, "edit"); return; }
    if (target.matches(".js-copy-source")) {
      var input = cell.querySelector("textarea.cell-input");
      input.value = sourceOf(cell); input.focus(); return;
    }
    if (target.matches(".js-save-submit")) {
      var form = target.form;
      form.elements.and_submit.value = "1";
      htmx.trigger(form, "submit");
      return;
    }
    if (target === cell || target.matches(".text")) openCell(cell, "edit");
  });

  document.body.addEventListener("workbench:saved", function (event) {
    var detail = event.detail || {};
    if (!pendingNext || pendingNext.language !== detail.language) return;
    pendingNext = null;
    var next = nextToTranslate(detail.language, detail.last);
    if (next) { focusCell(next); openCell(next, "edit"); return; }
    // The next one may be on a page not loaded yet: load it, then carry on there.
    var more = document.querySelector("tr.more button");
    if (more) { pendingAfterLoad = { language: detail.language, last: detail.last }; htmx.trigger(more, "click"); }
  });

  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (pendingAfterLoad && !document.querySelector("td.cell.open")) {
      var wanted = pendingAfterLoad;
      var found = nextToTranslate(wanted.language, wanted.last);
      if (found) { pendingAfterLoad = null; focusCell(found); openCell(found, "edit"); return; }
      var again = document.querySelector("tr.more button");
      if (!again) pendingAfterLoad = null;
      else if (!again.classList.contains("htmx-request")) htmx.trigger(again, "click");
    }
    var element = event.detail.elt;
    if (!element || !element.matches || !element.matches("td.cell")) {
      var swapped = event.detail.target;
      element = swapped && swapped.matches && swapped.matches("td.cell") ? swapped : null;
    }
    if (!element) return;
    var fresh = element.id ? document.getElementById(element.id) : element;
    if (!fresh) return;
    // the open cell's terms and matches load into its focused editing area (hx-trigger="load")
    var input = fresh.querySelector("textarea");
    if (input && input.classList.contains("cell-input")) {
      var panel = document.getElementById("panel");
      if (panel && panel.querySelector(".matches")) panel.innerHTML = "";
    }
    if (input) {
      // the row stays in sight above the docked editing area (td.cell.open has a scroll margin)
      if (fresh.classList.contains("open")) fresh.scrollIntoView({ block: "nearest" });
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
    } else if (!pendingNext && (!document.activeElement || document.activeElement === document.body)) {
      // The swap took the focus with the old cell: give it back, unless the user has moved on.
      fresh.focus();
    }
  });
})();
