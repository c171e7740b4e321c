// Site search with Pagefind, in Material's search box (partials/search.html).
//
// Nothing of Pagefind is loaded until the reader opens the search or types in it: then
// pagefind/pagefind.js (next to this language's pages) is imported and fetches only the index
// fragments its query needs. Each language has its own index (build/site/<lang>/pagefind/), so
// results are in the page's language; Pagefind folds diacritics ("sante" finds "santé").
(function () {
  "use strict";
  var box = document.querySelector("[data-clss-search]");
  var toggle = document.getElementById("__search");
  if (!box || !toggle) return;
  var input = box.querySelector(".md-search__input");
  var form = box.querySelector("form");
  var meta = box.querySelector(".md-search-result__meta");
  var list = box.querySelector(".md-search-result__list");
  var openers = document.querySelectorAll(".clss-search-open");
  var lastOpener = null;
  var pagefind = null;
  var serial = 0;

  // the language root (Material's config gives it relative to this page)
  function root() {
    var config = JSON.parse(document.getElementById("__config").textContent);
    return new URL(config.base.replace(/\/?$/, "/"), location.href);
  }

  function load() {
    if (!pagefind) {
      var base = root();
      var bundle = new URL(box.dataset.bundle || "pagefind/", base);
      pagefind = import(new URL("pagefind.js", bundle).href).then(function (pf) {
        return pf.options({ baseUrl: base.pathname, excerptLength: 24 }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  function setOpen(open) {
    toggle.checked = open;
    openers.forEach(function (b) { b.setAttribute("aria-expanded", String(open)); });
    if (open) {
      load();
      input.focus();
    } else if (lastOpener) {
      lastOpener.focus();
      lastOpener = null;
    }
  }

  function count(n) {
    if (n === 0) return box.dataset.none;
    if (n === 1) return box.dataset.one;
    return box.dataset.other.replace("#", String(n));
  }

  function render(results, total) {
    list.textContent = "";
    results.forEach(function (r) {
      var li = document.createElement("li");
      li.className = "md-search-result__item";
      var a = document.createElement("a");
      a.className = "md-search-result__link";
      a.href = r.url;
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var h = document.createElement("h1");
      h.textContent = (r.meta && r.meta.title) || r.url;
      var p = document.createElement("p");
      p.innerHTML = r.excerpt; // Pagefind's excerpt: page text, escaped, with <mark> around hits
      article.appendChild(h);
      article.appendChild(p);
      a.appendChild(article);
      li.appendChild(a);
      list.appendChild(li);
    });
    meta.textContent = count(total);
  }

  function search() {
    var query = input.value.trim();
    var mine = ++serial;
    if (!query) {
      list.textContent = "";
      meta.textContent = box.dataset.placeholder;
      return;
    }
    load().then(function (pf) {
      return pf.debouncedSearch(query, {}, 150);
    }).then(function (found) {
      if (!found || mine !== serial) return null; // a newer query replaced this one
      return Promise.all(found.results.slice(0, 20).map(function (r) { return r.data(); })).then(function (data) {
        if (mine === serial) render(data, found.results.length);
      });
    }).catch(function () {
      meta.textContent = box.dataset.none;
    });
  }

  box.hidden = false;
  openers.forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      lastOpener = b;
      setOpen(true);
    });
  });
  input.addEventListener("focus", function () { if (!toggle.checked) setOpen(true); });
  input.addEventListener("input", search);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var first = list.querySelector("a");
    if (first) first.focus();
  });
  box.querySelector(".clss-search-close").addEventListener("click", function () {
    input.value = "";
    search();
    setOpen(false);
  });
  box.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      e.preventDefault();
      setOpen(false);
      input.blur();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      if (!links.length) return;
      e.preventDefault();
      var i = links.indexOf(document.activeElement);
      var next = e.key === "ArrowDown" ? Math.min(i + 1, links.length - 1) : i - 1;
      (next < 0 ? input : links[next]).focus();
    }
  });
  toggle.addEventListener("change", function () { if (!toggle.checked) input.blur(); });
  // keyboard shortcut, as in Material: "/" or "s" opens the search
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey || toggle.checked) return;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (e.key === "/" || e.key === "s") {
      e.preventDefault();
      lastOpener = document.activeElement;
      setOpen(true);
    }
  });
})();
