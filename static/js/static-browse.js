// The home page of a static build (bibliography/static_build.py): a file server cannot
// answer ?year=2022&author=...&q=..., so this applies those filters in the browser to the
// list the page already holds (every paper, grouped by year), from the build's compact
// index (static-index.json). The form still submits to the URL, so the URL is the state.
// Filters: year, author, venue, topic, award (several values of one: any of them; different
// ones: all) and q (every word must start a word of the title or the abstract). The list is
// shown a page at a time (?page=N, as many papers a page as the live list), with the live
// list's page links. Without script the page is the whole list.
(function () {
  "use strict";
  var FACETS = ["year", "author", "venue", "topic", "award"];
  var script = document.currentScript;
  var pageSize = parseInt(script.getAttribute("data-page-size"), 10) || 25;
  // The home page's list by default; the embed (/embed/) names its own.
  var list = script.getAttribute("data-list") || ".results";
  var items = list + " " + (script.getAttribute("data-items") || "li.paper");
  function slugOf(item) { return item.getAttribute("data-slug") || item.id.replace(/^paper-/, ""); }
  // The words in the page's language (includes/_static_browse_words.html).
  var PAPER = " " + (script.getAttribute("data-paper") || "paper");
  var PAPERS = " " + (script.getAttribute("data-papers") || "papers");
  var MATCHING = " " + (script.getAttribute("data-matching") || "matching") + " “";
  var PAGE_OF = script.getAttribute("data-page-of") || "page %(number)s of %(pages)s";
  var PAGES = script.getAttribute("data-pages") || "Pages";
  var PREVIOUS = script.getAttribute("data-previous") || "← Previous";
  var NEXT = script.getAttribute("data-next") || "Next →";
  var params = new URLSearchParams(window.location.search);
  var chosen = {};
  FACETS.forEach(function (name) {
    var values = params.getAll(name).filter(Boolean);
    if (values.length) { chosen[name] = values; }
  });
  var words = (params.get("q") || "").toLocaleLowerCase().match(/[\p{L}\p{N}_]+/gu) || [];
  var filtered = Object.keys(chosen).length > 0 || words.length > 0;

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

  // The live list's page links (includes/_pagination.html): previous, the first, last and
  // nearest pages with ellipses between, next; each keeps the other parameters.
  function pageLinks(number, pages) {
    var nav = document.createElement("nav");
    nav.className = "pagination";
    nav.id = "pagination";
    nav.setAttribute("aria-label", PAGES);
    nav.tabIndex = -1;
    var list = document.createElement("ul");
    function item(text, page, rel) {
      var li = document.createElement("li");
      var link = document.createElement(page === null ? "span" : "a");
      if (page === null) {
        link.className = "ellipsis";
      } else {
        var query = new URLSearchParams(params);
        query.set("page", String(page));
        link.href = "?" + query.toString();
        link.target = "_self"; // the embed's links open the site in a new tab, not these
        if (rel) { link.rel = rel; }
        if (page === number && !rel) { link.setAttribute("aria-current", "page"); }
      }
      link.textContent = text;
      li.appendChild(link);
      list.appendChild(li);
    }
    if (number > 1) { item(PREVIOUS, number - 1, "prev"); }
    var last = 0;
    for (var page = 1; page <= pages; page += 1) {
      if (page <= 1 || page >= pages || Math.abs(page - number) <= 2) {
        if (page - last > 1) { item("…", null); }
        item(String(page), page);
        last = page;
      }
    }
    if (number < pages) { item(NEXT, number + 1, "next"); }
    nav.appendChild(list);
    return nav;
  }

  function apply(index) {
    var matching = {};
    var total = 0;
    index.papers.forEach(function (paper) {
      if (matches(paper, null)) { matching[paper.slug] = true; total += 1; }
    });
    var pages = Math.max(1, Math.ceil(total / pageSize));
    var number = Math.min(Math.max(parseInt(params.get("page"), 10) || 1, 1), pages);
    var place = 0;
    // The page's papers: the matching ones in the list's order (the page's), pageSize a page.
    document.querySelectorAll(items).forEach(function (item) {
      var shown = Boolean(matching[slugOf(item)]);
      if (shown) { place += 1; }
      item.hidden = !shown || Math.ceil(place / pageSize) !== number;
    });
    document.querySelectorAll(list + " .year-group").forEach(function (group) {
      group.hidden = !group.querySelector("li:not([hidden])");
    });
    var first = document.querySelector(list + " .year-group, " + list + " .papers");
    if (pages > 1 && first) { first.parentNode.appendChild(pageLinks(number, pages)); }
    document.documentElement.setAttribute("data-static-page", String(number));
    // The embed's link to the same papers on the site's list.
    var whole = document.querySelector("[data-static-list-link]");
    if (whole) {
      var listQuery = new URLSearchParams(params);
      listQuery.delete("page");
      whole.search = listQuery.toString();
    }
    // The live site shows the selected papers only above the list's unfiltered first page.
    var selected = document.querySelector(".selected");
    if (selected && (filtered || number > 1)) { selected.hidden = true; }
    var heading = document.getElementById("results-heading");
    if (heading) {
      heading.textContent = total + (total === 1 ? PAPER : PAPERS) +
        (words.length ? MATCHING + params.get("q") + "”" : "");
      if (pages > 1) {
        var pageOf = document.createElement("span");
        pageOf.className = "page-of";
        pageOf.textContent = " · " + PAGE_OF.replace("%(number)s", number).replace("%(pages)s", pages);
        heading.appendChild(pageOf);
      }
    }
    if (!filtered) {
      document.documentElement.setAttribute("data-static-filtered", String(total));
      return;
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
