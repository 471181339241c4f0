// The site's side of citeproc-js, evaluated after citeproc_commonjs.js in one V8 context
// (bibliography/citations/processor.py). Exposes `renderReference(styleKey, item, etAl)`.
//
// Building a citeproc-js engine for a large style (APA, Chicago) takes seconds, rendering
// with a built one milliseconds: each style's engine is built once and reused, one item
// at a time. Styles are registered by `registerStyle(key, xml)`, the locale by `setLocale(xml)`.
"use strict";
var CSL = module.exports;
var STYLES = {};
var ENGINES = {};
var CURRENT = null;
// Each rendering gets a new item id: the engine keeps what it learnt about an id it knows.
var RENDERED = 0;
// While a partial byline is rendered: how many names its item lists (the known ones plus
// one placeholder). See `inheritOpt` below.
var FORCED_NAMES = null;

var LOCALE = null;

// (Each setter returns true: the embedding reads every result as JSON.)
function setLocale(xml) {
  LOCALE = xml;
  return true;
}

function registerStyle(key, xml) {
  STYLES[key] = xml;
  delete ENGINES[key];
  return true;
}

function engineFor(key) {
  if (!ENGINES[key]) {
    var sys = {
      retrieveLocale: function () { return LOCALE; },
      retrieveItem: function () { return CURRENT; },
    };
    ENGINES[key] = new CSL.Engine(sys, STYLES[key], "en-US", true);
    ENGINES[key].setOutputFormat("html");
  }
  return ENGINES[key];
}

// CSL cannot say "the list goes on". For a partial byline the item carries one placeholder
// name more than it knows, and every name list whose et-al. rule would print all of them
// (or that has none) is made to cut exactly the placeholder, so that the style prints its
// own "et al."; a style whose rule already cuts the list keeps it. This is what editing
// the style's et-al-min/et-al-use-first attributes would do, without building another
// engine for each length. The citation's lists too: the bibliography keeps as many names
// as the citation needed to tell works apart.
var inheritOpt = CSL.Engine.prototype.inheritOpt;
CSL.Engine.prototype.inheritOpt = function (token, attrname, parentname, defaultValue) {
  var value = inheritOpt.apply(this, arguments);
  if (FORCED_NAMES === null) {
    return value;
  }
  if (attrname === "et-al-use-last") {
    return false;  // it would print the placeholder after an ellipsis (APA)
  }
  if (attrname !== "et-al-min" && attrname !== "et-al-use-first") {
    return value;
  }
  var minimum = inheritOpt.call(this, token, "et-al-min");
  if (minimum && minimum <= FORCED_NAMES) {
    return value;
  }
  return attrname === "et-al-min" ? FORCED_NAMES : FORCED_NAMES - 1;
};

// The one-item bibliography of `item` in the style `key`, as citeproc-js's HTML.
function renderReference(key, item, forcedNames) {
  var engine = engineFor(key);
  RENDERED += 1;
  CURRENT = Object.assign({}, item, { id: "reference-" + RENDERED });
  FORCED_NAMES = forcedNames || null;
  try {
    engine.updateItems([CURRENT.id]);
    var entries = engine.makeBibliography()[1];
    return entries.join("");
  } finally {
    CURRENT = null;
    FORCED_NAMES = null;
  }
}
