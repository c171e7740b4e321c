// "Cite this" on chapter and publication pages (theme partials/content.html): replaces the page's
// path by the reader's own address when the site has no known public one, and copies the
// citation to the clipboard.
(function () {
  "use strict";
  function init() {
    document.querySelectorAll(".clss-how-to-cite").forEach(function (box) {
      var url = box.querySelector(".clss-how-to-cite__url");
      if (url && url.hasAttribute("data-relative") && /^https?:$/.test(location.protocol)) {
        url.textContent = location.href.split("#")[0];  // no public address known: the reader's own
      }
      var button = box.querySelector(".clss-how-to-cite__copy");
      if (!button || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = box.querySelector(".clss-how-to-cite__text").textContent.replace(/\s+/g, " ").trim();
        navigator.clipboard.writeText(text).then(function () {
          button.textContent = button.dataset.copied;
        });
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
