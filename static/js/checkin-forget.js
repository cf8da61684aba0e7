// Loaded by every page shown to a signed-out visitor (templates/base.html): the check-in desk's copies
// of people leave this device once its staff sign out (or their session ends), instead of waiting for the
// next visit to the desk. Gone: the service worker's caches (the desk page, with the latest check-ins'
// names, served offline to whoever opens it) and the offline kit (names, types, organizations), with the
// list of scans the server decided otherwise (no names in it – the desk looks them up in the kit – but
// the signed-out staff's list to follow up). Kept: the queue of scans the server has not seen yet –
// check-in data that goes when staff sign in to the desk again: ticket codes, fingerprints, registration
// ids, times and gates, no names – and the notes of scans seen online (ticket fingerprints and times, no
// names). Names of caches and stores: checkin-sw.js and checkin-offline-tools.js.
(function () {
  "use strict";

  var CACHE_PREFIX = "eventhub-checkin-";
  var DATABASE = "eventhub-checkin";
  var DIFFER_SUFFIX = ":differ";

  function forgetCaches() {
    if (!window.caches) { return; }
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf(CACHE_PREFIX) === 0; })
        .map(function (name) { return caches.delete(name); }));
    }).catch(function () { return null; });  // storage blocked (private mode…): nothing was kept either
  }

  function forgetKits(db) {
    var stores = ["kits", "notes"].filter(function (name) { return db.objectStoreNames.contains(name); });
    if (!stores.length) { db.close(); return; }
    var tx = db.transaction(stores, "readwrite");
    if (stores.indexOf("kits") >= 0) { tx.objectStore("kits").clear(); }
    if (stores.indexOf("notes") >= 0) {
      var cursor = tx.objectStore("notes").openCursor();
      cursor.onsuccess = function () {
        var note = cursor.result;
        if (!note) { return; }
        if (String(note.key).slice(-DIFFER_SUFFIX.length) === DIFFER_SUFFIX) { note.delete(); }
        note.continue();
      };
    }
    tx.oncomplete = tx.onabort = tx.onerror = function () { db.close(); };
  }

  function forgetDatabase() {
    if (!window.indexedDB) { return; }
    var opening;
    try {
      opening = indexedDB.open(DATABASE);
    } catch (e) {
      return;  // IndexedDB refused (an opaque origin, a privacy setting)
    }
    opening.onupgradeneeded = function (event) {
      // No desk ever ran here: do not leave an empty database behind (aborting the creation drops it).
      if (event.oldVersion === 0) { opening.transaction.abort(); }
    };
    opening.onsuccess = function () { forgetKits(opening.result); };
    opening.onerror = function (event) { event.preventDefault(); };
    opening.onblocked = function () { return null; };
  }

  forgetCaches();
  forgetDatabase();
}());
