// What the offline desk shows (checkin-offline.js decides, this draws): the result cards of scans
// decided without the server – the online card's look (templates/checkin/_result.html, checkin.css),
// marked "offline" – and the status bar with the list of scans the server decided otherwise.
// Exposed as window.EventHubOfflineView(bar, texts, gate, admit).
(function () {
  "use strict";

  var SKEW_SHOWN_MS = 2 * 60 * 1000;  // a device clock further off than this is said in words
  var tools = window.EventHubOfflineTools;
  if (!tools) { return; }
  var el = tools.el;
  var fill = tools.fill;

  function groupedStart(code) {
    return code.slice(0, 4) + " " + code.slice(4, 8);
  }

  // `admit(card)`: the staff let in a ticket the kit does not know; resolves once it is queued.
  window.EventHubOfflineView = function (bar, T, gate, admit) {

    function typeName(person) {
      return (T.types && T.types[person.type]) || person.type;
    }

    function personLine(person) {
      return [person.full_name, typeName(person), person.organization].filter(Boolean).join(" · ");
    }

    function ticketWords(code) {
      return fill(T.differ_ticket, { code: groupedStart(code) });
    }

    function verdict(icon, text, refused) {
      var p = el("p", "checkin-verdict");
      var mark = el("span", refused ? "checkin-icon" : "", icon);
      mark.setAttribute("aria-hidden", "true");
      p.appendChild(mark);
      p.appendChild(document.createTextNode(" "));
      p.appendChild(el("span", "", text));
      return p;
    }

    function section(className, result, label) {
      var box = el("section", "checkin-result checkin-offline " + className);
      box.setAttribute("data-result", result);
      box.setAttribute("data-offline", "true");
      box.setAttribute("aria-label", label + " (" + T.offline + ")");
      box.appendChild(el("p", "checkin-offline-mark", T.offline));
      return box;
    }

    // A scan outside the event's days: amber, in the online test-scan card's words (_result.html).
    function testHeadline(c) {
      return c.phase === "before_event" ? T.before_event : T.after_event;
    }

    function admitted(c) {
      var test = c.kind === "ok" && c.phase && c.phase !== "event_day";
      var headline = test ? testHeadline(c) : c.kind === "ok" ? T.checked_in : T.admitted;
      var box = section(test ? "checkin-test" : "checkin-ok", c.kind === "ok" ? "ok" : "admitted_offline", headline);
      if (test) {
        box.setAttribute("data-phase", c.phase);
        box.appendChild(verdict("!", headline, false));
        box.appendChild(el("p", "checkin-reason", T.test_scan));
      } else {
        box.appendChild(verdict("✓", headline, false));
      }
      if (c.person) {
        box.appendChild(el("p", "checkin-name", c.person.full_name));
        box.appendChild(el("p", "checkin-type", typeName(c.person)));
        if (c.person.organization) { box.appendChild(el("p", "checkin-org", c.person.organization)); }
      } else {
        box.appendChild(el("p", "checkin-name", ticketWords(c.code)));
      }
      box.appendChild(el("p", "checkin-when", [c.time, gate].filter(Boolean).join(" · ")));
      var note = el("p", "checkin-offline-note", c.kind === "ok" ? T.queued_note : T.admitted_reason);
      if (c.queueId !== undefined) { note.setAttribute("data-queue-id", String(c.queueId)); }
      box.appendChild(note);
      return box;
    }

    // Not "Checked in" again: other words, icon and stripes (as the online refusal).
    function alreadyIn(c) {
      if (c.phase && c.phase !== "event_day") { return testAgain(c); }
      var words = c.earlier.gate ? fill(T.already, { time: c.earlier.time, where: c.earlier.gate })
        : fill(T.already_no_where, { time: c.earlier.time });
      var box = section("checkin-refused", "already_checked_in", words);
      box.appendChild(verdict("✕", words, true));
      box.appendChild(el("p", "checkin-reason", T.do_not_admit));
      if (c.person) { box.appendChild(el("p", "checkin-person", personLine(c.person))); }
      return box;
    }

    // The same ticket twice on a test day: still not a new check-in, but amber – no gate incident.
    function testAgain(c) {
      var headline = testHeadline(c);
      var box = section("checkin-test", "already_checked_in", headline);
      box.setAttribute("data-phase", c.phase);
      box.appendChild(verdict("!", headline, false));
      box.appendChild(el("p", "checkin-reason", T.test_again));
      if (c.person) { box.appendChild(el("p", "checkin-person", personLine(c.person))); }
      box.appendChild(el("p", "checkin-when", [c.earlier.time, c.earlier.gate].filter(Boolean).join(" · ")));
      return box;
    }

    function notATicket() {
      var box = section("checkin-refused", "invalid_ticket", T.not_a_ticket);
      box.appendChild(verdict("✕", T.not_a_ticket, true));
      box.appendChild(el("p", "checkin-reason", T.not_a_ticket_reason));
      return box;
    }

    // Registered after the kit was taken, or not a ticket at all: the staff decide on sight.
    function unknown(c) {
      var box = section("checkin-unknown", "unknown_offline", T.unknown);
      box.appendChild(verdict("?", T.unknown, true));
      box.appendChild(el("p", "checkin-person", ticketWords(c.code)));
      box.appendChild(el("p", "checkin-offline-note", T.unknown_reason));
      var button = el("button", "btn checkin-print checkin-admit mt-2", T.admit);
      button.type = "button";
      button.addEventListener("click", function () {
        button.disabled = true;
        admit(c).then(function (card) {
          show(card);
          var input = document.getElementById("ticket_code");
          if (input) { input.focus(); }
        });
      });
      box.appendChild(button);
      return box;
    }

    function show(c) {
      var slot = document.getElementById("checkin-result");
      if (!slot) { return; }
      var draw = { ok: admitted, admitted: admitted, already: alreadyIn, invalid: notATicket, unknown: unknown };
      slot.classList.remove("checkin-busy");
      slot.replaceChildren(draw[c.kind](c));
      if (window.EventHubCheckin) { window.EventHubCheckin.reveal(slot); }
      var test = c.phase && c.phase !== "event_day";
      if (((c.kind === "already" && !test) || c.kind === "invalid") && navigator.vibrate) {
        navigator.vibrate([120, 60, 120]);
      }
    }

    // The server acknowledged a queued scan: its card, if still on screen, says so instead of "queued".
    function sent(queueId, agreed) {
      var note = document.querySelector('#checkin-result [data-queue-id="' + queueId + '"]');
      if (!note) { return; }
      note.textContent = agreed ? T.sent_note : T.differ_title;
      note.setAttribute("data-sent", agreed ? "true" : "differ");
    }

    // --- the status bar --------------------------------------------------------------------------

    // A counted phrase: the server gives both forms (Babel's ngettext); 1 takes `one`, any other `other`.
    function counted(forms, n) {
      if (typeof forms === "string") { return fill(forms, { n: n }); }  // an older page's one form
      return fill(n === 1 ? forms.one : forms.other, { n: n });
    }

    function ageWords(ms) {
      var minutes = Math.floor(ms / 60000);
      if (minutes < 1) { return T.just_now; }
      if (minutes < 120) { return counted(T.minutes_ago, minutes); }
      return counted(T.hours_ago, Math.floor(minutes / 60));
    }

    function amountWords(ms) {
      var minutes = Math.round(Math.abs(ms) / 60000);
      return minutes >= 90 ? counted(T.hours, Math.round(minutes / 60)) : counted(T.minutes, minutes);
    }

    function part(name) { return bar.querySelector("[data-" + name + "]"); }

    function renderDiffer(differ) {
      var box = document.getElementById("checkin-differ");
      if (!box) { return; }
      var list = box.querySelector("[data-differ-list]");
      list.replaceChildren.apply(list, differ.map(function (d) {
        var item = el("li", "", fill(T.differ_item, { who: d.who, time: d.time, answer: d.answer }));
        item.setAttribute("data-result", d.result);
        return item;
      }));
      box.hidden = !differ.length;
    }

    // `status`: {online, queued, hasKit, fetchedAt, skew, problem, differ}.
    function render(status) {
      bar.hidden = false;
      part("net").textContent = status.online ? T.online : T.offline_status;
      bar.setAttribute("data-state", status.online ? "online" : "offline");
      part("queue").textContent = fill(T.queued, { n: status.queued });
      bar.setAttribute("data-queued", String(status.queued));
      part("kit").textContent = status.hasKit
        ? fill(T.kit_age, { age: ageWords(Date.now() - status.fetchedAt) }) : T.kit_none;
      var clock = part("clock");
      clock.hidden = Math.abs(status.skew) <= SKEW_SHOWN_MS;
      clock.textContent = clock.hidden ? "" : fill(status.skew < 0 ? T.clock_behind : T.clock_ahead,
                                                    { amount: amountWords(status.skew) });
      var problem = part("problem");
      problem.hidden = !status.problem;
      problem.textContent = status.problem;
      renderDiffer(status.differ);
    }

    return { show: show, sent: sent, render: render, ticketWords: ticketWords };
  };
}());
