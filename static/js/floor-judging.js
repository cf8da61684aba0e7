// The judge's floor page (templates/contests/floor/walk.html). A form marked data-floor-once is sent once:
// its buttons are disabled when it is submitted, so a double tap on a slow connection sends one request
// (the server also records a repeated vote once). The undo form (data-hide-after, in seconds) goes away
// when its minute is over. No inline script (the CSP forbids it).
(function () {
  "use strict";
  document.querySelectorAll("form[data-floor-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
      form.setAttribute("data-sent", "1");
      // Every form's values are hidden fields, so a disabled button loses nothing; the other forms of the
      // page wait too (a vote and a skip sent together would both count).
      document.querySelectorAll("form[data-floor-once] button[type=submit]").forEach(function (button) {
        button.disabled = true;
        button.setAttribute("aria-disabled", "true");
      });
    });
  });
  document.querySelectorAll("[data-hide-after]").forEach(function (element) {
    var seconds = Number(element.getAttribute("data-hide-after"));
    if (seconds > 0) {
      window.setTimeout(function () { element.hidden = true; }, seconds * 1000);
    }
  });
  // Back to the page from the browser's cache (back button): the buttons work again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-floor-once]").forEach(function (form) {
      form.removeAttribute("data-sent");
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = false;
        button.removeAttribute("aria-disabled");
      });
    });
  });
}());
