// What the offline desk (checkin-offline.js) is built from, with no state of its own: ticket codes and
// their fingerprints as the server makes them, times in the event's zone, words with placeholders, and
// a small promise-based IndexedDB. Exposed as window.EventHubOfflineTools.
(function () {
  "use strict";

  var SEPARATORS = /[\s\-\u2010-\u2015\u2212]+/g;  // as eventhub/registration/tickets.py

  // "%(name)s" placeholders of the server's translated words, filled in.
  function fill(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function pad(n, width) {
    var s = String(Math.abs(n));
    while (s.length < (width || 2)) { s = "0" + s; }
    return s;
  }

  function hex(bytes) {
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // The ticket code as the server keeps it (upper case, no separators), or null when it cannot be one.
  // The signature is not checked here – the desk has no key – the server judges the scan later.
  function canonical(code) {
    var compact = String(code || "").replace(SEPARATORS, "");
    if (!/^[\x00-\x7f]*$/.test(compact)) { return null; }  // before upper case, as the server does
    compact = compact.toUpperCase();
    return /^[A-Z2-7]{32}$/.test(compact) ? compact : null;
  }

  // The kit's `ticket_fingerprint`: lowercase hex SHA-256 of the canonical code (UTF-8).
  function fingerprint(code) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(code)).then(function (hash) {
      return hex(new Uint8Array(hash));
    });
  }

  // Day (YYYY-MM-DD) and time (HH:MM) of a moment in the event's zone: "today" is the event's today.
  function zoneClock(zone) {
    var format = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23"
    });
    return function zoned(ms) {
      var parts = {};
      format.formatToParts(new Date(ms)).forEach(function (part) { parts[part.type] = part.value; });
      var hour = parts.hour === "24" ? "00" : parts.hour;
      return { day: parts.year + "-" + parts.month + "-" + parts.day, time: hour + ":" + parts.minute };
    };
  }

  // ISO 8601 with this device's offset, to the millisecond: what the server judges a scan by.
  function isoWithOffset(ms) {
    var d = new Date(ms);
    var offset = -d.getTimezoneOffset();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" +
      pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + "." +
      pad(d.getMilliseconds(), 3) + (offset < 0 ? "-" : "+") + pad(Math.floor(Math.abs(offset) / 60)) +
      ":" + pad(Math.abs(offset) % 60);
  }

  // --- IndexedDB: kits by event, the queue (one record per scan), notes (seen scans, disagreements) ---

  function done(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function openDatabase() {
    var database = new Promise(function (resolve, reject) {
      var opening = indexedDB.open("eventhub-checkin", 1);
      opening.onupgradeneeded = function () {
        var db = opening.result;
        db.createObjectStore("kits", { keyPath: "slug" });
        db.createObjectStore("queue", { keyPath: "id", autoIncrement: true }).createIndex("slug", "slug");
        db.createObjectStore("notes", { keyPath: "key" });
      };
      opening.onsuccess = function () { resolve(opening.result); };
      opening.onerror = function () { reject(opening.error); };
    });

    function store(name, mode) {
      return database.then(function (db) { return db.transaction(name, mode).objectStore(name); });
    }

    return {
      read: function (name, key) {
        return store(name, "readonly").then(function (s) { return done(s.get(key)); });
      },
      write: function (name, value) {
        return store(name, "readwrite").then(function (s) { return done(s.put(value)); });
      },
      remove: function (name, key) {
        return store(name, "readwrite").then(function (s) { return done(s.delete(key)); });
      },
      queued: function (slug) {
        return store("queue", "readonly").then(function (s) { return done(s.index("slug").getAll(slug)); });
      }
    };
  }

  window.EventHubOfflineTools = {
    fill: fill, el: el, hex: hex, canonical: canonical, fingerprint: fingerprint, zoneClock: zoneClock,
    isoWithOffset: isoWithOffset, openDatabase: openDatabase
  };
}());
