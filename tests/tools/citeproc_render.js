#!/usr/bin/env node
// The reference rendering for tests/test_citations_citeproc_js.py: citeproc-js as npm
// ships it (package `citeproc`, pinned in package.json), the processor Zotero and
// Mendeley use, called the way its README shows, nothing of the site's around it.
//
// Reads one JSON object on stdin: {"style": CSL file path, "locale": locale file path,
// "items": [CSL-JSON items]} and writes a JSON array on stdout: for each item, its
// reference alone in a one-item bibliography (as the paper page shows it), as
// {"html": ..., "text": ...} (citeproc-js's html and text output formats), or
// {"error": message} for an item citeproc-js refuses.
"use strict";
const fs = require("fs");
const CSL = require("citeproc");

const request = JSON.parse(fs.readFileSync(0, "utf8"));
const styleXml = fs.readFileSync(request.style, "utf8");
const localeXml = fs.readFileSync(request.locale, "utf8");
let current = null;
const sys = {
  retrieveLocale: () => localeXml,
  retrieveItem: () => current,
};

// Building an engine for a large style takes seconds: one, reused for every item.
const engine = new CSL.Engine(sys, styleXml, "en-US", true);

function render(format, item) {
  engine.setOutputFormat(format);
  engine.updateItems([item.id]);
  return engine.makeBibliography()[1].join("");
}

const out = request.items.map((item, index) => {
  // A fresh id for each item: ids in the sample repeat (the same key in two files).
  current = { ...item, id: `item-${index}` };
  try {
    return { html: render("html", current), text: render("text", current) };
  } catch (error) {
    return { error: String(error && error.stack ? error.stack : error) };
  }
});
process.stdout.write(JSON.stringify(out));
