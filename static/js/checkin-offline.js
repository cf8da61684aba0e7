// The check-in desk when the venue's network fails (issue 17; api.md "Check-in without a network").
//
// The desk keeps its event's offline kit (names, types, organizations and a SHA-256 fingerprint per
// ticket) in IndexedDB and refreshes it in the background. When a scan cannot reach the server
// (checkin.js gives up after a short timeout, or the browser says it is offline), the desk decides
// from the kit and this device's own scans, shows the same green or red card marked "offline", and
// queues the scan; the queue goes to the server in batches when the network is back, until each batch
// is acknowledged (the server's answer to a resent batch is the same). A status bar shows the state:
// online or offline, queued scans, the kit's age, a device clock that is off, and the scans the server
// decided otherwise than the desk did. A service worker (checkin-sw.js) keeps the page itself.
//
// Loaded after checkin-offline-tools.js and checkin-offline-view.js (what it is built from, what it
// shows) and before checkin.js, which asks window.EventHubOfflineDesk. All words come from the page
// (the status bar's data-texts, translated by the server); nothing is inline in the page (CSP).
(function () {
  "use strict";

  var bar = document.getElementById("checkin-status");
  if (!bar || !bar.getAttribute("data-texts") || !window.indexedDB || !window.crypto || !window.crypto.subtle ||
      !window.fetch || !window.Intl || !window.AbortController || !window.EventHubOfflineView) {
    return;  // the desk works as before: every scan online
  }
  var tools = window.EventHubOfflineTools;
  var fill = tools.fill;
  var canonical = tools.canonical;
  var fingerprint = tools.fingerprint;
  var isoWithOffset = tools.isoWithOffset;
  var T = JSON.parse(bar.getAttribute("data-texts"));
  var slug = bar.getAttribute("data-slug");
  var zone = bar.getAttribute("data-timezone");
  var gate = bar.getAttribute("data-gate") || "";
  var kitUrl = bar.getAttribute("data-kit-url");
  var batchUrl = bar.getAttribute("data-batch-url");
  var zoned = tools.zoneClock(zone);
  var db = tools.openDatabase();
  var view = window.EventHubOfflineView(bar, T, gate, function (card) {
    return enqueue(card.code, card.fp, null, "admitted", card.at, card.uncertain).then(function (item) {
      return { kind: "admitted", code: card.code, time: zoned(card.at).time, queueId: item.id };
    });
  });

  var SCAN_TIMEOUT_MS = 2500;  // a scan waits this long for the server, then the desk decides alone
  var REQUEST_TIMEOUT_MS = 15000;  // kit and batches: larger, but never hanging forever
  var KIT_EVERY_MS = 3 * 60 * 1000;
  var RETRY_MS = 15 * 1000;
  var BATCH_SIZE = 1000;  // api.md: at most 1,000 scans per batch
  var SKEW_USED_MS = 60 * 1000;  // a clock further off: scan times are corrected (the server refuses the future)
  var SAME_SCAN_MS = 5 * 60 * 1000;

  var state = {
    kit: null, fetchedAt: 0, people: new Map(), checkins: new Map(),
    queue: [], seen: [], differ: [],
    reachable: navigator.onLine, lastFailure: 0, skew: storedSkew(),
    syncing: null, problem: ""
  };

  // --- the clock: the server's `Date` header against this device's ---------------------------------

  function storedSkew() {
    try { return Number(localStorage.getItem("eventhub-checkin-skew")) || 0; } catch (e) { return 0; }
  }

  function noteClock(response) {
    var server = Date.parse(response.headers.get("Date") || "");
    if (isNaN(server)) { return; }
    // The header is whole seconds: the server's moment was half a second later on average.
    state.skew = Date.now() - (server + 500);
    try { localStorage.setItem("eventhub-checkin-skew", String(Math.round(state.skew))); } catch (e) { /* private mode */ }
  }

  // The time to stamp a scan with: the server's time as best known, when this clock is clearly off.
  function now() {
    return Date.now() - (Math.abs(state.skew) > SKEW_USED_MS ? state.skew : 0);
  }

  // This device's own id, made once and kept: which scanner synced (the latest check-ins, the audit log).
  // Not the gate, which each scan carries itself.
  function deviceName() {
    var id;
    try {
      id = localStorage.getItem("eventhub-checkin-device");
      if (!id) {
        var bytes = crypto.getRandomValues(new Uint8Array(6));
        id = tools.hex(bytes);
        localStorage.setItem("eventhub-checkin-device", id);
      }
    } catch (e) {
      id = "browser";
    }
    return id.slice(0, 60);
  }

  // --- IndexedDB: kits by event, the queue (one record per scan), notes (seen scans, disagreements) ---

  function saveNote(name) {
    return db.write("notes", { key: slug + ":" + name, items: state[name] });
  }

  function loadNote(name) {
    return db.read("notes", slug + ":" + name).then(function (note) { state[name] = note ? note.items : []; });
  }

  // --- the kit ----------------------------------------------------------------------------------------

  function useKit(kit, fetchedAt) {
    state.kit = kit;
    state.fetchedAt = fetchedAt;
    state.people = new Map();
    state.checkins = new Map();
    (kit.registrations || []).forEach(function (person) { state.people.set(person.ticket_fingerprint, person); });
    (kit.checkins || []).forEach(function (checkin) {
      state.checkins.set(checkin.registration_id + "|" + checkin.day, checkin);
    });
  }

  function isJson(response) {
    return (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
  }

  // fetch with a deadline; a network failure or a timeout marks the server unreachable.
  function timedFetch(url, options, ms) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, ms);
    options.signal = controller.signal;
    return fetch(url, options).then(function (response) {
      clearTimeout(timer);
      noteResponse(response);
      return response;
    }, function (error) {
      clearTimeout(timer);
      noteFailure();
      throw error;
    });
  }

  function setToken(token) {
    var field = document.querySelector("#scan-form input[name=csrf_token]");
    if (field && token) { field.value = token; }
  }

  function token() {
    var field = document.querySelector("#scan-form input[name=csrf_token]");
    return field ? field.value : "";
  }

  // Signed out, or no longer at this event's gate: the names leave this device (the queue stays, to be
  // sent by whoever signs in next).
  function forgetKit() {
    state.kit = null;
    state.people = new Map();
    state.checkins = new Map();
    state.fetchedAt = 0;
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ forget: true });
    }
    return db.remove("kits", slug);
  }

  function refreshKit() {
    if (!navigator.onLine) { return Promise.resolve(); }
    return timedFetch(kitUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } },
                      REQUEST_TIMEOUT_MS)
      .then(function (response) {
        if (response.redirected || response.status === 403 || response.status === 404) {
          state.problem = T.sign_in;
          return forgetKit();
        }
        if (!response.ok || !isJson(response)) { return null; }  // a server error: keep what we have
        return response.json().then(function (kit) {
          setToken(kit.csrf_token);
          delete kit.csrf_token;
          var fetchedAt = Date.now();
          useKit(kit, fetchedAt);
          bar.setAttribute("data-kit-state", "ready");
          if (state.problem === T.sign_in) { state.problem = ""; }
          return db.write("kits", { slug: slug, kit: kit, fetchedAt: fetchedAt });
        });
      })
      .catch(function () { return null; })
      .then(render);
  }

  // --- deciding a scan offline -------------------------------------------------------------------

  // When and where this ticket (or its person) was admitted today, as far as this device knows.
  function admittedToday(fp, person, day) {
    if (person) {
      var checkin = state.checkins.get(person.id + "|" + day);
      if (checkin) { return { time: zoned(Date.parse(checkin.checked_in_at)).time, gate: checkin.gate }; }
    }
    var seen = state.seen.filter(function (s) {
      return s.day === day && (s.fp === fp || (person && s.registration_id === person.id));
    })[0];
    if (seen) { return { time: seen.time, gate: seen.gate }; }
    var queued = state.queue.filter(function (q) { return q.day === day && q.fp === fp; })[0];
    if (queued) { return { time: zoned(Date.parse(queued.scanned_at)).time, gate: queued.gate }; }
    return null;
  }

  // A queued scan keeps no name: the queue outlives signing out (scans not sent yet), the kit does not.
  // Who it was is looked up in the kit when needed (`who`).
  function enqueue(code, fp, person, decision, at, uncertain) {
    var item = {
      slug: slug, ticket_code: code, fp: fp, registration_id: person ? person.id : null,
      decision: decision, scanned_at: isoWithOffset(at), day: zoned(at).day, gate: gate, uncertain: !!uncertain
    };
    return db.write("queue", item).then(function (id) {
      item.id = id;
      state.queue.push(item);
      render();
      return item;
    });
  }

  // Where a day (YYYY-MM-DD, event time) falls against the kit's event days, as eventhub/checkin/days.py:
  // outside them a scan is a test scan. A kit without its days (an older one): every day counts.
  function phaseOf(day) {
    var event = (state.kit && state.kit.event) || {};
    if (event.first_day && day < event.first_day) { return "before_event"; }
    if (event.last_day && day > event.last_day) { return "after_event"; }
    return "event_day";
  }

  // `uncertain`: the server was asked but did not answer in time – it may have recorded the scan.
  function decide(code, uncertain) {
    var at = now();
    var canon = canonical(code);
    if (!canon) {
      view.show({ kind: "invalid" });
      return Promise.resolve();
    }
    return fingerprint(canon).then(function (fp) {
      var person = state.people.get(fp) || null;
      var phase = phaseOf(zoned(at).day);
      var earlier = admittedToday(fp, person, zoned(at).day);
      if (earlier) {
        view.show({ kind: "already", person: person, earlier: earlier, phase: phase });
        return null;
      }
      if (!person) {
        view.show({ kind: "unknown", code: canon, fp: fp, at: at, uncertain: uncertain });
        return null;
      }
      return enqueue(canon, fp, person, "ok", at, uncertain).then(function (item) {
        view.show({ kind: "ok", person: person, time: zoned(at).time, phase: phase, queueId: item.id });
        return item;
      });
    });
  }

  // An online "checked in": remembered, so that the same ticket offline a minute later reads as used.
  function rememberOnline(code, resultSlot) {
    var canon = canonical(code);
    if (!canon || !resultSlot || !resultSlot.querySelector("[data-result=ok]")) { return; }
    var at = now();
    fingerprint(canon).then(function (fp) {
      var person = state.people.get(fp);
      state.seen.push({ fp: fp, registration_id: person ? person.id : null, day: zoned(at).day,
                        time: zoned(at).time, gate: gate });
      return saveNote("seen");
    }).catch(function () { return null; });
  }

  // --- sending the queue -------------------------------------------------------------------------

  function differs(item, answer) {
    if (answer.result === "ok") { return false; }
    if (answer.result === "already_checked_in" && item.uncertain && answer.gate === item.gate &&
        Math.abs(Date.parse(answer.checked_in_at) - Date.parse(item.scanned_at)) < SAME_SCAN_MS) {
      return false;  // our own online scan that timed out on the way back: the server did record it
    }
    return true;
  }

  function describeAnswer(answer) {
    var answers = T.answers || {};
    if (answer.result === "already_checked_in" && answer.checked_in_at) {
      var time = zoned(Date.parse(answer.checked_in_at)).time;
      return answer.gate ? fill(answers.already_checked_in, { time: time, where: answer.gate })
        : fill(answers.already_checked_in_no_where, { time: time });
    }
    return answers[answer.result] || answer.result;
  }

  function acknowledge(batch, results) {
    var removals = [];
    batch.forEach(function (item, i) {
      var answer = results[i];
      if (!answer) { return; }  // not answered: stays queued, sent again
      var differ = differs(item, answer);
      view.sent(item.id, !differ);
      if (differ) {
        state.differ.push({
          fp: item.fp, ticket: item.ticket_code.slice(0, 8),  // the start of the code, as a card shows it
          time: zoned(Date.parse(item.scanned_at)).time, result: answer.result,
          answer: describeAnswer(answer)
        });
      }
      if (answer.checked_in_at) {
        var when = Date.parse(answer.checked_in_at);
        state.seen.push({ fp: item.fp, registration_id: item.registration_id, day: zoned(when).day,
                          time: zoned(when).time, gate: answer.gate || "" });
      }
      removals.push(db.remove("queue", item.id));
      state.queue = state.queue.filter(function (q) { return q.id !== item.id; });
    });
    return Promise.all(removals.concat([saveNote("differ"), saveNote("seen")])).then(render);
  }

  function postBatch(batch, retried) {
    var body = JSON.stringify({
      device: deviceName(),
      scans: batch.map(function (item) {
        return { ticket_code: item.ticket_code, gate: item.gate, scanned_at: item.scanned_at };
      })
    });
    return timedFetch(batchUrl, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token() }
    }, REQUEST_TIMEOUT_MS).then(function (response) {
      if (response.ok && isJson(response)) {
        state.problem = "";
        return response.json().then(function (data) { return acknowledge(batch, data.results || []); });
      }
      if (response.status === 400 && !isJson(response) && !retried) {
        // A stale CSRF token (a copy of the page from before a new sign-in): a fresh one comes with the kit.
        return refreshKit().then(function () { return postBatch(batch, true); });
      }
      state.problem = response.redirected ? T.sign_in : fill(T.not_sent, { status: response.status });
      throw new Error("not acknowledged");
    });
  }

  // Sends the whole queue, a batch at a time, until the server has acknowledged it all.
  function sync() {
    if (state.syncing) { return state.syncing; }
    if (!navigator.onLine || !state.queue.length) { return Promise.resolve(); }
    var sent = false;
    function step() {
      var batch = state.queue.slice(0, BATCH_SIZE);
      if (!batch.length) { return Promise.resolve(); }
      sent = true;
      return postBatch(batch, false).then(step);
    }
    state.syncing = step()
      .catch(function () { return null; })
      .then(function () {
        state.syncing = null;
        render();
        if (sent && !state.queue.length) {  // the server's view, with our scans
          return Promise.all([refreshKit(), refreshRecent()]);
        }
        return null;
      });
    return state.syncing;
  }

  // The desk's "latest check-ins", now with the queue's: the list on screen may be an offline copy's.
  function refreshRecent() {
    return timedFetch(bar.getAttribute("data-scope"), { credentials: "same-origin", cache: "no-store" }, REQUEST_TIMEOUT_MS)
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("checkin-recent");
        var here = document.getElementById("checkin-recent");
        if (fresh && here) { here.replaceWith(fresh); }
      })
      .catch(function () { return null; });
  }

  // --- being online ------------------------------------------------------------------------------

  function noteResponse(response) {
    noteClock(response);
    state.reachable = true;
    render();
  }

  function noteFailure() {
    state.reachable = false;
    state.lastFailure = Date.now();
    render();
  }

  function isOnline() {
    return navigator.onLine && state.reachable;
  }

  // Ask the server first? Not while the browser knows it is offline, nor for a while after a failure
  // (a queue of people should not wait 2.5 s per ticket); the periodic retry finds the network again.
  function shouldTryServer() {
    return navigator.onLine && (state.reachable || Date.now() - state.lastFailure > RETRY_MS);
  }

  // Who a scan was: the name in the kit while this device has it, else the start of the ticket's code.
  function who(fp, code) {
    var person = state.people.get(fp);
    return person ? person.full_name : view.ticketWords(code);
  }

  function render() {
    var differ = state.differ.map(function (d) {
      return { who: who(d.fp, d.ticket), time: d.time, result: d.result, answer: d.answer };
    });
    view.render({ online: isOnline(), queued: state.queue.length, hasKit: !!state.kit, fetchedAt: state.fetchedAt,
                  skew: state.skew, problem: state.problem, differ: differ });
  }

  // --- the service worker: the page itself offline -------------------------------------------------

  function registerWorker() {
    if (!navigator.serviceWorker) { return; }
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && typeof event.data.cached === "number") { bar.setAttribute("data-sw", "ready"); }
    });
    navigator.serviceWorker.register(bar.getAttribute("data-sw-url"), { scope: bar.getAttribute("data-scope") })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        var urls = Array.prototype.map.call(document.querySelectorAll("link[rel=stylesheet][href], link[rel=icon][href], link[rel=apple-touch-icon][href], script[src]"),
                                            function (node) { return node.href || node.src; });
        if (registration.active) { registration.active.postMessage({ cache: urls }); }
      })
      .catch(function () { return null; });  // no worker (private window…): the desk still works online
  }

  // --- start -----------------------------------------------------------------------------------

  var started = Promise.all([
    db.read("kits", slug).then(function (saved) { if (saved) { useKit(saved.kit, saved.fetchedAt); } }),
    db.queued(slug).then(function (items) { state.queue = items; }),
    loadNote("seen").then(function () {
      var today = zoned(now()).day;
      state.seen = state.seen.filter(function (s) { return s.day === today; });
    }),
    loadNote("differ")
  ]).then(function () {
    if (!navigator.onLine) {
      // The service worker's copy of the page: its messages ("now at gate A") are from another time.
      Array.prototype.forEach.call(document.querySelectorAll("#main > .alert"), function (node) { node.hidden = true; });
    }
    render();
    if (state.kit) { bar.setAttribute("data-kit-state", "stored"); }
    bar.setAttribute("data-ready", "true");
    return refreshKit().then(sync);
  }).catch(function () {
    render();
  });

  window.addEventListener("online", function () {
    state.reachable = true;
    render();
    started.then(sync).then(function () { return state.fetchedAt < Date.now() - RETRY_MS ? refreshKit() : null; });
  });
  window.addEventListener("offline", render);
  window.setInterval(function () {
    if (state.queue.length && navigator.onLine) { sync(); }
  }, RETRY_MS);
  window.setInterval(function () {
    if (navigator.onLine) { refreshKit(); } else { render(); }
  }, KIT_EVERY_MS);
  window.setInterval(render, 30 * 1000);  // the kit's age in words

  var clear = document.querySelector("[data-differ-clear]");
  if (clear) {
    clear.addEventListener("click", function () {
      state.differ = [];
      saveNote("differ").then(render);
    });
  }

  // Signing out with scans not sent yet: said in words first. Signing out forgets the kit and the page's
  // copy (checkin-forget.js) but keeps the queue, which goes when staff sign in here again.
  var logoutUrl = bar.getAttribute("data-logout-url");
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var n = state.queue.length;
    if (!logoutUrl || !n || !form || form.getAttribute("action") !== logoutUrl) { return; }
    if (!window.confirm(n === 1 ? T.unsent_one : fill(T.unsent_many, { n: n }))) { event.preventDefault(); }
  });

  registerWorker();

  window.EventHubOfflineDesk = {
    timeoutMs: SCAN_TIMEOUT_MS,
    shouldTryServer: shouldTryServer,
    decide: function (code, uncertain) { return started.then(function () { return decide(code, uncertain); }); },
    noteResponse: noteResponse,
    noteFailure: noteFailure,
    rememberOnline: rememberOnline,
    sync: sync
  };
}());
