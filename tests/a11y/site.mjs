// Reader checks of the built site in headless Debian Chromium (run by tests/test_browser.py or
// by hand):
//
//   node tests/a11y/site.mjs --base http://127.0.0.1:PORT/any/sub/path/ [--chromium /usr/bin/chromium]
//
// build/site must be served under --base (any sub-path). Checks, printing one JSON report:
// - the language switch, clicked, lands on the same page in the other language;
// - search (Pagefind) finds pages with and without accents in both languages, and its script
//   and index are requested only once the reader searches;
// - the quartier overview on a 390 px phone (FR, NL): cards, no name broken inside a word, the
//   filter's live count and empty-state message;
// - the quartier overview's filter says how many rows it shows, and when none;
// - one testimony per quote box; a chapter's breadcrumbs name its part; "cite this" copies the
//   citation with the page's address and links the publication's BibTeX record;
// - a missing address at any depth shows the language's 404 page, styled, linking home;
// - no request leaves the host that serves the site.
// Exit 0 when every check passes, 1 otherwise, 2 on a setup error.
import { chromium } from "playwright-core";

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const base = option("base", "http://127.0.0.1:8000/").replace(/\/?$/, "/");
const executablePath = option("chromium", process.env.CHROMIUM || "/usr/bin/chromium");
const origin = new URL(base).origin;
const shots = option("screenshots", "");  // a folder: screenshots of the pages looked at
const width = Number(option("width", "1280"));
const failures = [];
const report = { base, checks: [] };

function check(name, ok, detail) {
  report.checks.push({ name, ok, detail });
  if (!ok) failures.push(`${name}: ${detail}`);
}

let browser;
try {
  browser = await chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
} catch (e) {
  console.error(`cannot start ${executablePath}: ${e.message}`);
  process.exit(2);
}

const context = await browser.newContext({ locale: "fr-BE", viewport: { width, height: width > 600 ? 900 : 844 } });
const foreign = [];
const requested = [];
context.on("request", (req) => {
  const url = req.url();
  requested.push(url);
  if (!url.startsWith(origin) && !url.startsWith("data:") && !url.startsWith("blob:")) foreign.push(url);
});

const page = await context.newPage();

// 1. language switch, clicked
for (const [from, to, path] of [["nl", "fr", "quartiers/marolles/"], ["fr", "nl", "publications/rapport-2025/00-introduction/"]]) {
  await page.goto(`${base}${from}/${path}`);
  await page.click(".md-header .md-select button");  // opens the menu (hover/focus in Material)
  await page.click(`.md-select__link[hreflang="${to}"]`);
  await page.waitForLoadState("load");
  check(`switch ${from}→${to}`, page.url() === `${base}${to}/${path}`, page.url());
  check(`lang after switch ${from}→${to}`, (await page.getAttribute("html", "lang")) === to, await page.getAttribute("html", "lang"));
}

// 2. search, loaded on demand, with and without accents
const queries = {
  fr: [["santé", "sante"], ["référente", "referente"]],
  nl: [["financiële", "financiele"], ["coördinatie", "coordinatie"]],
};
for (const lang of ["fr", "nl"]) {
  requested.length = 0;
  await page.goto(`${base}${lang}/`);
  await page.waitForLoadState("load");
  const isPagefind = (u) => /\/pagefind[^/]*\.js$|\.pf_/.test(u);
  check(`${lang}: no Pagefind request before searching`, !requested.some(isPagefind), requested.filter(isPagefind).join(" "));
  for (const pair of queries[lang]) {
    const counts = [];
    for (const q of pair) {
      await page.click(".md-search__input").catch(() => page.click(".clss-search-open"));
      await page.fill(".md-search__input", q);
      await page.waitForFunction((q) => {
        const meta = document.querySelector(".md-search-result__meta");
        return document.querySelector(".md-search__input").value === q && meta && /\d|Aucun|Geen/.test(meta.textContent)
          && !/initiali|Typ|Tapez/i.test(meta.textContent);
      }, q, { timeout: 15000 }).catch(() => null);
      await page.waitForTimeout(400);
      const meta = (await page.textContent(".md-search-result__meta")) || "";
      const n = Number((meta.match(/\d+/) || [String(await page.locator(".md-search-result__item").count())])[0]);
      const first = n ? await page.locator(".md-search-result__item a").first().getAttribute("href") : "";
      counts.push(n);
      check(`${lang}: results for "${q}" link inside the site`, !first || first.startsWith(new URL(base).pathname + lang + "/"), first);
    }
    check(`${lang}: "${pair[1]}" finds as much as "${pair[0]}"`, counts[0] > 0 && counts[1] >= counts[0], counts.join(" vs "));
    if (shots) await page.screenshot({ path: `${shots}/search-${lang}-${pair[1]}-${width}.png` });
  }
  check(`${lang}: Pagefind loaded once searching`, requested.some((u) => u.endsWith("/pagefind.js")), "");
  await page.keyboard.press("Escape");
}

// 3. screenshots of the reader's pages (looked at by hand)
if (shots) {
  for (const path of ["", "fr/", "nl/", "fr/quartiers/", "nl/quartiers/marolles/", "fr/publications/rapport-2025/11-partie-1-b/",
    "nl/publications/rapport-2025/23-partie-2-f/", "fr/nope/", "nl/nope/"]) {
    const missing = path.endsWith("nope/");
    // a static server has no 404 page of its own: show the language's 404.html at that address
    await page.goto(missing ? `${base}${path.slice(0, 3)}404.html` : `${base}${path}`);
    await page.screenshot({ path: `${shots}/${(path || "root").replace(/\//g, "_")}-${width}.png`, fullPage: !missing && path.includes("quartiers/") });
  }
}

// 5. the quartier overview, on a 390 px phone in both languages: rows are cards whose names never
// break inside a word; the filter says how many rows it shows, and when none, in a live region
await page.setViewportSize({ width: 390, height: 844 });
for (const [lang, none] of [["fr", /Aucun quartier ne correspond/], ["nl", /Geen wijk/]]) {
  await page.goto(`${base}${lang}/quartiers/`);
  const broken = await page.evaluate(() => {
    const out = [];
    for (const cell of document.querySelectorAll("#quartier-table tbody td:first-child")) {
      const range = document.createRange();
      const node = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT).nextNode();  // the name
      if (!node) continue;
      for (const m of node.textContent.matchAll(/\S+/g)) {  // a word drawn on two lines has two boxes
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        if (range.getClientRects().length > 1) out.push(m[0]);
      }
    }
    return out;
  });
  check(`${lang} overview at 390 px: no name broken inside a word`, broken.length === 0, broken.join(" "));
  const cards = await page.evaluate(() => getComputedStyle(document.querySelector("#quartier-table tbody tr")).display);
  check(`${lang} overview at 390 px: rows shown as cards`, cards === "block", cards);
  await page.selectOption("select[data-filter-col='3']", { index: 1 });
  const shownText = (await page.textContent(".clss-table-count")) || "";
  const visible = await page.locator("#quartier-table tbody tr:not([hidden])").count();
  check(`${lang} filter: live count`, visible > 0 && shownText.startsWith(String(visible)), `${shownText} (${visible} rows)`);
  check(`${lang} filter: the count is a live region`, await page.evaluate(() => {
    const c = document.querySelector(".clss-table-count");
    return c.getAttribute("role") === "status" && c.getAttribute("aria-live") === "polite";
  }), "");
  await page.fill("input[data-filter-for]", "zzzz");
  const noneText = (await page.textContent(".clss-table-count")) || "";
  check(`${lang} filter: empty-state message`, (await page.locator("#quartier-table tbody tr:not([hidden])").count()) === 0
    && none.test(noneText), noneText);
}
// the home page's title at 390 px: a long word fits its line (not cut before its last letter)
for (const lang of ["fr", "nl"]) {
  await page.goto(`${base}${lang}/`);
  const cut = await page.evaluate(() => {
    const out = [];
    const range = document.createRange();
    const walker = document.createTreeWalker(document.querySelector(".md-content h1"), NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/[^\s\-\u2010]+/g)) {  // a line may end at a hyphen
        range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        if (range.getClientRects().length > 1) out.push(m[0]);
      }
    }
    return out;
  });
  check(`${lang} home at 390 px: no word of the title cut`, cut.length === 0, cut.join(" "));
}
await page.setViewportSize({ width, height: 900 });

// 4. keyboard: "/" opens the search, arrows reach the results, Escape closes and gives focus back
await page.goto(`${base}fr/`);
await page.keyboard.press("/");
check("keyboard: / focuses the search", await page.evaluate(() => document.activeElement.classList.contains("md-search__input")), "");
await page.keyboard.type("quartier");
await page.waitForSelector(".md-search-result__item a", { timeout: 15000 }).catch(() => null);
await page.keyboard.press("ArrowDown");
check("keyboard: ArrowDown reaches the first result", await page.evaluate(() => !!document.activeElement.closest(".md-search-result__item")), "");
await page.keyboard.press("Escape");
check("keyboard: Escape closes the search", !(await page.isChecked("#__search")), "");

// 6. quotes: one testimony per box, its speaker last; the chapter names its part; "cite this"
for (const lang of ["fr", "nl"]) {
  await page.goto(`${base}${lang}/publications/rapport-2025/20-partie-2/`);
  const boxes = await page.$$eval(".md-typeset blockquote", (qs) => qs.map((q) => ({
    speakers: q.querySelectorAll(".clss-speaker").length,
    last: !!q.lastElementChild && q.lastElementChild.classList.contains("clss-speaker"),
  })));
  const bad = boxes.filter((b) => b.speakers > 1 || (b.speakers === 1 && !b.last));
  check(`${lang}: one testimony per quote box, speaker last`, boxes.some((b) => b.speakers === 1) && bad.length === 0,
    `${boxes.length} boxes, ${bad.length} with two speakers or a speaker inside`);
  await page.goto(`${base}${lang}/publications/rapport-2025/12-partie-1-b2/`);
  const crumbs = (await page.textContent(".md-path")) || "";
  const part = { fr: "1. Caractériser les approches partenariales", nl: "1. De partnerschapsbenaderingen karakteriseren" }[lang];
  check(`${lang}: the chapter's breadcrumbs name its part`, crumbs.replace(/\s+/g, " ").includes(part), crumbs.replace(/\s+/g, " ").trim());
}
await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
await page.goto(`${base}fr/publications/rapport-2025/12-partie-1-b2/`);
await page.click(".clss-how-to-cite__copy");
const copied = await page.evaluate(() => navigator.clipboard.readText()).catch(() => "");
check("cite: the button copies the citation with the page's address", copied.includes("(2025)") && copied.includes(`${base}fr/publications/rapport-2025/12-partie-1-b2/`), copied);
const bib = await page.request.get(new URL(await page.getAttribute('a[href$=".bib"]', "href"), page.url()).href);
check("cite: BibTeX record served", bib.ok() && (await bib.text()).startsWith("@techreport{rapport-2025,"), String(bib.status()));

// 7. a missing address deep under the sub-path: the host serves the language's 404.html (test_browser's
// server does, like GitHub Pages or nginx `error_page`); styled, its links lead into the site
for (const lang of ["fr", "nl"]) {
  const resp = await page.goto(`${base}${lang}/no/such/page/`);
  const styled = await page.evaluate(() => getComputedStyle(document.querySelector(".md-header") || document.body).position === "sticky");
  const home = await page.evaluate(() => document.querySelector(".md-content a.md-button--primary")?.href || "");
  check(`${lang}: 404 at any depth is styled and links home`, resp.status() === 404 && styled && home === `${base}${lang}/`, `${resp.status()} styled=${styled} home=${home}`);
}

check("no request to another host", foreign.length === 0, foreign.slice(0, 5).join(" "));
await browser.close();
report.failures = failures;
console.log(JSON.stringify(report, null, 2));
process.exit(failures.length ? 1 : 0);
