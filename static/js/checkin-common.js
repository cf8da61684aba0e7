// What the check-in desk (checkin.js) and a workshop's door (checkin-door.js) both do with a scan form
// (#scan-form, its field ticket_code, its result slot #checkin-result): loaded before either of them.
// Exposed as window.EventHubCheckin.
//
// A scan (a USB scanner types the code and presses Enter, or camera-scan.js submits it) is handled in
// the background: the field is emptied and focused at once, so the next scan can start while the answer
// is on its way, and scans queue up and go one after the other. The answer is the page a plain POST
// gets; its result card replaces ours.
(function () {
  "use strict";

  function parse(html) {
    return new DOMParser().parseFromString(html, "text/html");
  }

  // Our element `id` replaced by the one in `doc`; returns the new one (null when either is missing).
  function swap(doc, id) {
    var fresh = doc.getElementById(id);
    var here = document.getElementById(id);
    if (fresh && here) { here.replaceWith(fresh); }
    return fresh;
  }

  function isTyping(element) {
    return element && element.matches && element.matches("input, textarea, select, [contenteditable]");
  }

  // The answer to a scan of `code`, as HTML: its result card and CSRF token become ours, and a refusal
  // buzzes the phone. Returns {doc, result}; null when the answer is not a scanning page (signed out, no
  // longer allowed): the form is then posted plainly, so that the browser shows that page.
  function takeAnswer(form, code, html) {
    var doc = parse(html);
    if (!doc.getElementById("checkin-result")) {
      form.querySelector("input[name=ticket_code]").value = code;
      HTMLFormElement.prototype.submit.call(form);
      return null;
    }
    var result = swap(doc, "checkin-result");
    var token = doc.querySelector("#scan-form input[name=csrf_token]");
    var ours = form.querySelector("input[name=csrf_token]");
    if (token && ours) { ours.value = token.value; }
    if (result && result.querySelector(".checkin-refused") && navigator.vibrate) {
      navigator.vibrate([120, 60, 120]);
    }
    return { doc: doc, result: result };
  }

  // The red card for a scan that got no answer: the form's data-offline words.
  function showOffline(form) {
    var slot = document.getElementById("checkin-result");
    if (!slot) { return; }
    var section = document.createElement("section");
    var verdict = document.createElement("p");
    section.className = "checkin-result checkin-refused";
    section.setAttribute("data-result", "offline");
    verdict.className = "checkin-verdict";
    verdict.textContent = "✕ " + form.getAttribute("data-offline");
    section.appendChild(verdict);
    slot.classList.remove("checkin-busy");
    slot.replaceChildren(section);
  }

  // The answer's card brought into view on a small screen (its name below the fold otherwise), as far as
  // the scan form stays in view too: the next scan is typed there. Nothing moves when the card shows.
  function reveal(slot) {
    var card = slot && slot.firstElementChild;
    var form = document.getElementById("scan-form");
    if (!card || !form || !card.getBoundingClientRect) { return; }
    var below = card.getBoundingClientRect().bottom - window.innerHeight;
    // Scrolling more would hide the scan field, under the offline desk's status bar (sticky at the top).
    var bar = document.getElementById("checkin-status");
    var room = form.getBoundingClientRect().top - (bar && !bar.hidden ? bar.offsetHeight : 0);
    var by = Math.min(below, room);
    if (by > 0) { window.scrollBy(0, by); }
  }

  // Takes over the form's submissions: each code is queued and `send(code)` (a promise) runs for one at
  // a time; when it fails, `failed(code, error)` does. Returns {busy()}: whether a scan is on its way.
  function scanQueue(form, send, failed) {
    var input = form.querySelector("input[name=ticket_code]");
    var queue = [];
    var busy = false;

    function next() {
      if (busy || !queue.length) { return; }
      busy = true;
      var slot = document.getElementById("checkin-result");
      if (slot) { slot.classList.add("checkin-busy"); }
      var code = queue.shift();
      send(code)
        .catch(function (error) { return failed(code, error); })
        .catch(function () { return null; })  // whatever happened to this scan, the next one goes
        .then(function () {
          busy = false;
          input.focus();
          next();
        });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var code = input.value.trim();
      input.value = "";
      input.focus();
      if (code) {
        queue.push(code);
        next();
      }
    });

    // A scanner types wherever the focus is: keys typed outside any field go to the scan field.
    document.addEventListener("keydown", function (event) {
      // Letters and digits only: a space or Enter on a focused button keeps pressing that button.
      if (event.ctrlKey || event.metaKey || event.altKey || !/^[0-9A-Za-z]$/.test(event.key)) { return; }
      if (!isTyping(document.activeElement)) { input.focus(); }
    });

    return { busy: function () { return busy; } };
  }

  window.EventHubCheckin = {
    parse: parse,
    swap: swap,
    isTyping: isTyping,
    takeAnswer: takeAnswer,
    showOffline: showOffline,
    reveal: reveal,
    scanQueue: scanQueue
  };
}());
