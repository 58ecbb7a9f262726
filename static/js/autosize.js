// The editing textarea grows with its text (no scrollbar inside a cell, no fixed three rows).
(function () {
  "use strict";
  function fit(input) {
    input.style.height = "auto";
    input.style.height = input.scrollHeight + 2 + "px";
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea[data-autosize]")) fit(event.target);
  });
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("textarea[data-autosize]").forEach(fit);
  });
})();
