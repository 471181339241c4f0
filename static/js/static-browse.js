// The home page of a static build (bibliography/static_build.py): a file server cannot
// answer ?year=2022&author=...&q=..., so this applies those filters in the browser to the
// list the page already holds (every paper, grouped by year), from the build's compact
// index (static-index.json). The form still submits to the URL, so the URL is the state.
// Filters: year, author, venue, topic, award (several values of one: any of them; different
// ones: all) and q (every word must start a word of the title). Without script the page is
// the whole list.
(function () {
  "use strict";
  var FACETS = ["year", "author", "venue", "topic", "award"];
  var script = document.currentScript;
  // The words the page's language uses (paper_list.html's data-paper, data-papers, data-matching).
  var PAPER = " " + (script.getAttribute("data-paper") || "paper");
  var PAPERS = " " + (script.getAttribute("data-papers") || "papers");
  var MATCHING = " " + (script.getAttribute("data-matching") || "matching") + " “";
  var params = new URLSearchParams(window.location.search);
  var chosen = {};
  FACETS.forEach(function (name) {
    var values = params.getAll(name).filter(Boolean);
    if (values.length) { chosen[name] = values; }
  });
  var words = (params.get("q") || "").toLocaleLowerCase().match(/[\p{L}\p{N}_]+/gu) || [];
  if (!Object.keys(chosen).length && !words.length) { return; }

  function valuesOf(paper, name) {
    if (name === "year") { return paper.year === null ? [] : [String(paper.year)]; }
    if (name === "venue") { return paper.venue ? [paper.venue] : []; }
    return paper[name + "s"];
  }
  function matchesWords(paper) {
    return words.every(function (word) {
      return paper.words.some(function (title) { return title.indexOf(word) === 0; });
    });
  }
  // Whether `paper` passes every chosen filter but the facet `except`.
  function matches(paper, except) {
    return matchesWords(paper) && Object.keys(chosen).every(function (name) {
      if (name === except) { return true; }
      var own = valuesOf(paper, name);
      return chosen[name].some(function (value) { return own.indexOf(value) !== -1; });
    });
  }

  function apply(index) {
    var shown = {};
    var total = 0;
    index.papers.forEach(function (paper) {
      if (matches(paper, null)) { shown[paper.slug] = true; total += 1; }
    });
    document.querySelectorAll(".results li.paper").forEach(function (item) {
      item.hidden = !shown[item.id.replace(/^paper-/, "")];
    });
    document.querySelectorAll(".results .year-group").forEach(function (group) {
      group.hidden = !group.querySelector("li.paper:not([hidden])");
    });
    var selected = document.querySelector(".selected");
    if (selected) { selected.hidden = true; }
    var heading = document.getElementById("results-heading");
    if (heading) {
      heading.textContent = total + (total === 1 ? PAPER : PAPERS) +
        (words.length ? MATCHING + params.get("q") + "”" : "");
    }
    var search = document.getElementById("q");
    if (search) { search.value = params.get("q") || ""; }
    // Each box: ticked if chosen, and its count as the live site's: the papers it would
    // list with this value and every other facet's choice.
    FACETS.forEach(function (name) {
      var counts = {};
      index.papers.forEach(function (paper) {
        if (!matches(paper, name)) { return; }
        valuesOf(paper, name).forEach(function (value) { counts[value] = (counts[value] || 0) + 1; });
      });
      document.querySelectorAll('.facet input[name="' + name + '"]').forEach(function (box) {
        box.checked = (chosen[name] || []).indexOf(box.value) !== -1;
        var count = box.parentNode.querySelector(".count");
        var number = counts[box.value] || 0;
        if (count) {
          count.firstChild.nodeValue = String(number);
          count.lastChild.textContent = number === 1 ? PAPER : PAPERS;
        }
      });
    });
    document.documentElement.setAttribute("data-static-filtered", String(total));
  }

  fetch(script.getAttribute("data-index"))
    .then(function (response) { return response.json(); })
    .then(apply);
})();
