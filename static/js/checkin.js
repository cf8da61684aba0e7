// The check-in desk and its live numbers; an enhancement only – both pages work without it,
// and no script is inline (the CSP forbids it).
//
// Desk: scans are posted in the background, one after the other (checkin-common.js, shared with the
// workshop door). The answer is the same HTML page a plain POST gets; its result and latest
// check-ins replace ours. Without a network, checkin-offline.js decides.
// Numbers: the page fetches itself every few seconds and replaces its figures.
(function () {
  "use strict";

  var common = window.EventHubCheckin;  // checkin-common.js, loaded first
  if (!common) { return; }

  function desk(form) {
    function showOffline() { common.showOffline(form); }

    // The offline desk (checkin-offline.js), when the browser can run it: a scan that cannot reach
    // the server within its timeout is decided there instead (an HTTP refusal is an answer, not that).
    var offlineDesk = window.EventHubOfflineDesk || null;

    function post(code) {
      var body = new FormData(form);
      body.set("ticket_code", code);
      var options = { method: "POST", body: body, credentials: "same-origin" };
      if (!offlineDesk || !window.AbortController) {
        return fetch(form.action, options).then(function (response) { return response.text(); });
      }
      var controller = new AbortController();
      var timer = window.setTimeout(function () { controller.abort(); }, offlineDesk.timeoutMs);
      options.signal = controller.signal;
      return fetch(form.action, options)
        .then(function (response) {
          offlineDesk.noteResponse(response);
          return response.text();
        })
        .then(function (html) {
          window.clearTimeout(timer);
          return html;
        }, function (error) {
          window.clearTimeout(timer);
          offlineDesk.noteFailure();
          error.timedOut = controller.signal.aborted;
          throw error;
        });
    }

    function send(code) {
      if (offlineDesk && !offlineDesk.shouldTryServer()) { return offlineDesk.decide(code, false); }
      return post(code).then(function (html) {
        var answer = common.takeAnswer(form, code, html);
        if (!answer) { return; }
        common.swap(answer.doc, "checkin-recent");
        common.reveal(answer.result);  // after the list: the page is then long enough to scroll
        if (offlineDesk) { offlineDesk.rememberOnline(code, answer.result); }
      });
    }

    common.scanQueue(form, send, function (code, error) {
      if (!offlineDesk) { return showOffline(); }
      // Not reached (or no answer in time: it may have been recorded, the server will tell).
      return offlineDesk.decide(code, !!(error && error.timedOut)).catch(showOffline);
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
          var fresh = common.swap(common.parse(html), "checkin-stats");
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
