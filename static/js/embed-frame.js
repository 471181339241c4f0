// Inside the frame of /embed/: tells the page around it how tall the list is, whenever that
// changes, so that static/js/embed.js on that page can size the frame (no scroll bar).
// A height is nothing secret, and the embedding page's origin is not known here: any parent
// may hear it.
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var reported = 0;
  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== reported) {
      reported = height;
      window.parent.postMessage({ type: "publications-embed:height", height: height }, "*");
    }
  }
  if (window.ResizeObserver) {
    new ResizeObserver(report).observe(document.documentElement);
  }
  window.addEventListener("load", report);
  report();
})();
