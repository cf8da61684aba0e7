// The check-in desk's service worker (served at /events/<slug>/checkin/sw.js, its scope the desk):
// a reload while the venue's network is down still shows the desk. The desk page is fetched from the
// network first and kept as the last good copy; the static files it uses (CSS, scripts, jsQR, Bootstrap,
// icons) come from the cache first and are refreshed behind. The offline kit and the scan queue live
// in IndexedDB (checkin-offline.js), never here; POSTs and other requests pass straight through.
// Signed out, the copy goes: the network's redirect to the log-in page drops it here, and every page of a
// signed-out visitor drops these caches and the kit (checkin-forget.js).
/* eslint-env serviceworker */
"use strict";

var SHELL_CACHE = "eventhub-checkin-shell-v1";
// v2: the desk's texts changed shape (counted words in two forms): no script of v1 kept with a new page.
var ASSET_CACHE = "eventhub-checkin-assets-v2";
var NETWORK_WAIT_MS = 3000;  // a desk page slower than this over a failing Wi-Fi: show the copy

function scopePath() {
  return new URL(self.registration.scope).pathname;
}

function isDesk(url) {
  return url.origin === self.location.origin && url.pathname === scopePath();
}

function isAsset(url) {
  return url.origin === self.location.origin && url.pathname.indexOf("/static/") === 0;
}

// The desk page without its query (a search, ?lang=): the one copy kept.
function deskKey() {
  return new URL(scopePath(), self.location.origin).href;
}

function withTimeout(promise, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, ms);
    promise.then(function (value) { clearTimeout(timer); resolve(value); },
                 function (error) { clearTimeout(timer); reject(error); });
  });
}

function keepDesk(request, response) {
  // Only the desk itself: a redirect to the log-in page or an error page is not a desk.
  if (!response || !response.ok || response.redirected || !isDesk(new URL(response.url || request.url))) {
    return Promise.resolve();
  }
  var copy = response.clone();
  return caches.open(SHELL_CACHE).then(function (cache) { return cache.put(deskKey(), copy); });
}

// The network says this browser may no longer see the desk: signed out or the session ended (a redirect
// to the log-in page – an opaque one for a navigation, which does not follow redirects here), no longer
// at this event's gate (403), the event gone (404). The copy with its names must not outlive that.
function refused(response) {
  return response.type === "opaqueredirect" || response.redirected ||
    (response.status >= 300 && response.status < 400) || [401, 403, 404, 410].indexOf(response.status) >= 0;
}

function forgetDesk() {
  return caches.open(SHELL_CACHE).then(function (cache) { return cache.delete(deskKey()); });
}

// Whatever the network answers, even after the copy was shown, decides what is kept.
function noteDesk(request, response) {
  return (refused(response) ? forgetDesk() : keepDesk(request, response)).catch(function () { return null; });
}

function deskResponse(event) {
  var network = fetch(event.request);
  // Registered first, so that the copy is taken before the page reads the body.
  event.waitUntil(network.then(function (response) { return noteDesk(event.request, response); },
                               function () { return null; }));
  return withTimeout(network, NETWORK_WAIT_MS)
    .catch(function (error) {
      return caches.open(SHELL_CACHE)
        .then(function (cache) { return cache.match(deskKey()); })
        .then(function (copy) {
          if (copy) { return copy; }
          return network;  // no copy yet: wait for the network after all (or fail as the browser would)
        })
        .catch(function () { throw error; });
    });
}

function assetResponse(event) {
  return caches.open(ASSET_CACHE).then(function (cache) {
    return cache.match(event.request, { ignoreSearch: false }).then(function (cached) {
      var fresh = fetch(event.request).then(function (response) {
        if (response.ok) { cache.put(event.request, response.clone()); }
        return response;
      });
      if (cached) {
        event.waitUntil(fresh.catch(function () { return null; }));
        return cached;
      }
      return fresh;
    });
  });
}

self.addEventListener("install", function (event) {
  // The desk page registered us: its copy is taken now, so that the very next reload works offline.
  event.waitUntil(caches.open(SHELL_CACHE)
    .then(function (cache) {
      return fetch(deskKey(), { credentials: "same-origin" }).then(function (response) {
        return noteDesk(new Request(deskKey()), response);
      });
    })
    .catch(function () { return null; })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  var keep = [SHELL_CACHE, ASSET_CACHE];
  event.waitUntil(caches.keys()
    .then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("eventhub-checkin-") === 0 && keep.indexOf(name) < 0;
      }).map(function (name) { return caches.delete(name); }));
    })
    .then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (request.mode === "navigate" && isDesk(url)) {
    event.respondWith(deskResponse(event));
  } else if (isAsset(url)) {
    event.respondWith(assetResponse(event));
  }
});

// The desk page tells us what it uses ({cache: [urls]}), since its first load happened before we were
// in charge; {forget: true} drops the desk's copy (signed out, or no longer allowed at this gate).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (Array.isArray(data.cache)) {
    var urls = data.cache.filter(function (href) { return isAsset(new URL(href, self.location.origin)); });
    event.waitUntil(caches.open(ASSET_CACHE).then(function (cache) {
      return Promise.all(urls.map(function (href) {
        return cache.match(href).then(function (found) {
          return found || cache.add(href).catch(function () { return null; });
        });
      }));
    }).then(function () {
      if (event.source) { event.source.postMessage({ cached: urls.length }); }
    }));
  }
  if (data.forget) {
    event.waitUntil(caches.delete(SHELL_CACHE));
  }
});
