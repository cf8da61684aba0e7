// A workshop's door (templates/checkin/door.html) and its list of who came in
// (session_attendance.html); an enhancement only – both pages work without it, and no script is inline
// (the CSP forbids it).
//
// Door: scans are posted in the background, one after the other (checkin-common.js, shared with the
// desk). The answer is the page a plain POST gets: its result card, the room's numbers and the latest
// entries replace ours.
// Numbers: every few seconds the page fetches itself and replaces the numbers and the lists – never the
// answer to the last scan, which stays until the next scan.
(function () {
  "use strict";

  var common = window.EventHubCheckin;  // checkin-common.js, loaded first
  if (!common) { return; }
  var LIVE = ["door-occupancy", "door-recent", "door-entries"];
  var issued = 0;  // requests numbered as they leave: an answer older than one already shown is dropped
  var shown = 0;
  var scans = null;  // the door's scan queue: while a scan is on its way, its own answer brings the numbers

  function showLive(doc, number) {
    if (number < shown) { return; }
    shown = number;
    LIVE.forEach(function (id) { common.swap(doc, id); });
  }

  function markStale(on) {
    var note = document.querySelector("#door-occupancy .door-stale");
    if (note) { note.hidden = !on; }
  }

  function door(form) {
    function send(code) {
      var number = ++issued;
      var body = new FormData(form);
      body.set("ticket_code", code);
      return fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var answer = common.takeAnswer(form, code, html);
          if (answer) { showLive(answer.doc, number); }
        });
    }

    scans = common.scanQueue(form, send, function () {
      common.showOffline(form);
      markStale(true);
    });
  }

  function refreshing(box) {
    var seconds = parseInt(box.getAttribute("data-refresh-seconds"), 10) || 5;
    var url = window.location.href.split("#")[0];

    function refresh() {
      // A phone in a pocket asks for nothing; a refresh during a scan might be older than its answer.
      if (document.hidden || (scans && scans.busy())) {
        window.setTimeout(refresh, seconds * 1000);
        return;
      }
      var number = ++issued;
      fetch(url, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          var doc = common.parse(html);
          if (!doc.getElementById("door-occupancy")) { throw new Error("no numbers"); }
          showLive(doc, number);
        })
        .catch(function () { markStale(true); })
        .then(function () { window.setTimeout(refresh, seconds * 1000); });
    }

    window.setTimeout(refresh, seconds * 1000);
  }

  var form = document.getElementById("scan-form");
  if (form && form.hasAttribute("data-door")) { door(form); }
  var box = document.getElementById("door-occupancy");
  if (box) { refreshing(box); }
}());
