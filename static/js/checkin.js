// The check-in desk and its live numbers; an enhancement only – both pages work without it,
// and no script is inline (the CSP forbids it).
//
// Desk: a scan (a USB scanner types the code and presses Enter) is posted in the background; the
// field is emptied and focused at once, so the next scan can start while the answer is on its way.
// Scans queue up and go one after the other. The answer is the same HTML page a plain POST gets;
// its result and latest check-ins replace ours.
// Numbers: the page fetches itself every few seconds and replaces its figures.
(function () {
  "use strict";

  function parse(html) {
    return new DOMParser().parseFromString(html, "text/html");
  }

  function swap(doc, id) {
    var fresh = doc.getElementById(id);
    var here = document.getElementById(id);
    if (fresh && here) { here.replaceWith(fresh); }
    return fresh;
  }

  function isTyping(element) {
    return element && element.matches && element.matches("input, textarea, select, [contenteditable]");
  }

  function desk(form) {
    var input = form.querySelector("input[name=ticket_code]");
    var queue = [];
    var busy = false;

    function showOffline() {
      var slot = document.getElementById("checkin-result");
      var section = document.createElement("section");
      var verdict = document.createElement("p");
      section.className = "checkin-result checkin-refused";
      section.setAttribute("data-result", "offline");
      verdict.className = "checkin-verdict";
      verdict.textContent = "✗ " + form.getAttribute("data-offline");
      section.appendChild(verdict);
      slot.replaceChildren(section);
    }

    function showBusy() {
      var slot = document.getElementById("checkin-result");
      if (slot) { slot.classList.add("checkin-busy"); }
    }

    function send(code) {
      var body = new FormData(form);
      body.set("ticket_code", code);
      return fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var doc = parse(html);
          if (!doc.getElementById("checkin-result")) {
            // Not the desk (signed out, no longer allowed): let the browser show that page.
            input.value = code;
            HTMLFormElement.prototype.submit.call(form);
            return;
          }
          var result = swap(doc, "checkin-result");
          swap(doc, "checkin-recent");
          var token = doc.querySelector("#scan-form input[name=csrf_token]");
          var ours = form.querySelector("input[name=csrf_token]");
          if (token && ours) { ours.value = token.value; }
          if (result && result.querySelector(".checkin-refused") && navigator.vibrate) {
            navigator.vibrate([120, 60, 120]);
          }
        });
    }

    function next() {
      if (busy || !queue.length) { return; }
      busy = true;
      showBusy();
      send(queue.shift())
        .catch(showOffline)
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
  }

  function numbers(box) {
    var seconds = parseInt(box.getAttribute("data-refresh-seconds"), 10) || 10;

    function refresh() {
      fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          var fresh = swap(parse(html), "checkin-stats");
          if (!fresh) { throw new Error("no numbers"); }
        })
        .catch(function () {
          var stale = document.querySelector("#checkin-stats .checkin-stale");
          if (stale) { stale.hidden = false; }
        })
        .then(function () { window.setTimeout(refresh, seconds * 1000); });
    }

    window.setTimeout(refresh, seconds * 1000);
  }

  var form = document.getElementById("scan-form");
  if (form) { desk(form); }
  var box = document.getElementById("checkin-stats");
  if (box) { numbers(box); }
}());
