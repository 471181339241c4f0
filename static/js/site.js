// Enhancements only: every page works without this file.
(function () {
  "use strict";

  // Keys that step through a closed menu's options, each step a "change" event.
  var STEP_KEYS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"];

  function submitFrom(form, control, refocusId) {
    // After the reload, put keyboard focus back where it was.
    try { sessionStorage.setItem("refocus", refocusId || control.id); } catch (e) { /* private mode */ }
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  function menuChanged(select) {
    return Array.prototype.some.call(select.options, function (option) {
      return option.selected !== option.defaultSelected;
    });
  }

  // Facet and sort changes submit the filter form at once (without JS: "Apply filters");
  // a box without a name (the print option) is not a filter.
  // A menu stepped through with the arrow keys waits for Enter, or for focus to leave it,
  // rather than reloading the page at every step.
  document.querySelectorAll("form[data-auto-submit]").forEach(function (form) {
    form.addEventListener("keydown", function (event) {
      var target = event.target;
      if (!target.matches("select")) { return; }
      if (event.key === "Enter") {
        event.preventDefault();
        if (menuChanged(target)) { submitFrom(form, target); }
      } else if (STEP_KEYS.indexOf(event.key) >= 0 || event.key.length === 1) {
        target.setAttribute("data-stepping", "");
      }
    });
    form.addEventListener("focusout", function (event) {
      var target = event.target;
      if (target.matches("select[data-stepping]") && menuChanged(target)) {
        var next = event.relatedTarget;
        submitFrom(form, target, next && next.id);
      }
    });
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target.matches("input[type=checkbox][name]") || (target.matches("select") && !target.hasAttribute("data-stepping"))) {
        submitFrom(form, target);
      }
    });
    // A click opens the menu's list: what is picked there is picked for good.
    form.addEventListener("mousedown", function (event) {
      if (event.target.matches("select")) { event.target.removeAttribute("data-stepping"); }
    });
    // Leave empty fields out of the URL, so a shared link shows only what is chosen.
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[type=search], input[type=number], select").forEach(function (input) {
        if (!input.value.trim()) { input.disabled = true; }
      });
    });
  });
  var refocus = null;
  try { refocus = sessionStorage.getItem("refocus"); sessionStorage.removeItem("refocus"); } catch (e) { /* private mode */ }
  var control = refocus && document.getElementById(refocus);
  if (control) {
    control.focus({ preventScroll: true });
    // Beside the results (wide screens) the box is brought into view; on a phone the
    // facets sit below the results, and the results are what the visitor wants to see.
    if (window.matchMedia("(min-width: 52rem)").matches) {
      control.scrollIntoView({ block: "center" });
    }
  }
  // Say that the list follows the boxes, since that only holds with this script.
  document.querySelectorAll("[data-needs-script]").forEach(function (element) {
    element.hidden = false;
  });

  // Back and Forward may show the page from the back/forward cache as it was left: a box
  // ticked (or a sort chosen) just before leaving, fields disabled by the submit. The
  // page's HTML says what its URL shows, so every control goes back to it (the form's
  // autocomplete="off" keeps the browser from restoring stale values on a reload instead).
  window.addEventListener("pageshow", function (event) {
    document.querySelectorAll("form[data-auto-submit]").forEach(function (form) {
      form.querySelectorAll(":disabled").forEach(function (input) { input.disabled = false; });
      if (event.persisted) { form.reset(); }
    });
  });

  // Copy buttons: <button class="copy-button" data-copy-target="ID" hidden> copies the text
  // of the element with that id. They start hidden, since they need this script.
  // What the buttons say after copying, in the page's language: the script tag carries it
  // (base.html, data-copied and data-copy-failed).
  var script = document.querySelector("script[data-copied]");
  var copiedText = (script && script.getAttribute("data-copied")) || "Copied";
  var failedText = (script && script.getAttribute("data-copy-failed")) || "Press Ctrl+C to copy";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    if (!source || !navigator.clipboard) { return; }
    button.hidden = false;
    var label = button.textContent;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = copiedText;
        button.setAttribute("data-copied", "true");
        setTimeout(function () { button.textContent = label; }, 2000);
      }, function () {
        button.textContent = failedText;
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      });
    });
  });
})();
