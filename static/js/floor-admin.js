// The organizer's floor pages stay live: every N seconds the page is fetched again and its live part
// swapped in place (the scroll position and anything outside it stay). Without scripts a <noscript> meta
// refresh reloads the whole page instead. A hidden tab asks for nothing.
(function () {
  "use strict";
  var box = document.querySelector("[data-floor-live]");
  if (!box || !window.fetch || !window.DOMParser) {
    return;
  }
  var seconds = parseInt(box.getAttribute("data-refresh-seconds"), 10) || 30;

  function later() {
    window.setTimeout(refresh, seconds * 1000);
  }

  function refresh() {
    if (document.hidden) {
      later();
      return;
    }
    window.fetch(window.location.href, {credentials: "same-origin", headers: {"Accept": "text/html"}})
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-floor-live]");
        if (fresh) {
          box.innerHTML = fresh.innerHTML;
        }
      })
      .catch(function () { /* offline for a moment: the next round tries again */ })
      .then(later);
  }

  later();
})();
