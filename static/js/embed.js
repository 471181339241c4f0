// For other sites: sizes each <iframe data-publications-embed src=".../embed/..."> on the
// page to the height its list reports (static/js/embed-frame.js, by postMessage), and makes
// it as wide as its container. Loaded as a file (no inline script), and it sets no style
// attribute in markup, so it runs under a strict Content-Security-Policy on that page.
(function () {
  "use strict";
  var MAX_HEIGHT = 100000;
  function frames() {
    return document.querySelectorAll("iframe[data-publications-embed]");
  }
  function fit(frame) {
    frame.style.width = "100%";
    frame.style.border = "0";
  }
  Array.prototype.forEach.call(frames(), fit);
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "publications-embed:height" || typeof data.height !== "number") {
      return;
    }
    Array.prototype.forEach.call(frames(), function (frame) {
      // Only the frame that sent it, and only from the site the frame shows.
      if (frame.contentWindow !== event.source) { return; }
      if (new URL(frame.src, window.location.href).origin !== event.origin) { return; }
      fit(frame);
      frame.height = String(Math.max(0, Math.min(Math.round(data.height), MAX_HEIGHT)));
    });
  });
})();
