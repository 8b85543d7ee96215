/* sw.js: the portal's service worker (served at /sw.js, scope /).
 * It keeps the shell (styles, scripts, icons, the offline page) so that
 * readings a person saved open without a network, and answers a page that
 * is not saved with the offline page instead of the browser's error.
 * Saved readings live in caches named courseportal-saved-KEY, one per person
 * (KEY comes from <meta name="offline-key">); offline.js fills and empties
 * them. Console pages, JSON, non-GET requests and responses marked no-store
 * are never cached. */
'use strict';

var VERSION = /*{{.Version}}*/;
var SHELL = /*{{.Shell}}*/;
var SHELL_CACHE = 'courseportal-shell-' + VERSION;
var SAVED_PREFIX = 'courseportal-saved-';
var OFFLINE_PAGE = SHELL[0];
var NETWORK_WAIT_MS = 4000; // a saved copy is served when the network is slower than this

self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
    return cache.addAll(SHELL);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf('courseportal-shell-') === 0 && name !== SHELL_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf('/admin/') === 0 || url.pathname === '/admin' || url.pathname.indexOf('/api/') === 0) return;
  if (url.pathname.indexOf('/static/') === 0) {
    event.respondWith(caches.open(SHELL_CACHE).then(function (cache) {
      return cache.match(request);
    }).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode === 'navigate') event.respondWith(navigate(request));
});

// savedCopy finds a page in the saved caches (only the signed-in person's
// exist: offline.js deletes anyone else's).
function savedCopy(request) {
  return caches.keys().then(function (names) {
    var saved = names.filter(function (name) { return name.indexOf(SAVED_PREFIX) === 0; });
    return saved.reduce(function (found, name) {
      return found.then(function (hit) {
        if (hit) return hit;
        return caches.open(name).then(function (cache) {
          return cache.match(request, { ignoreSearch: true }).then(function (r) {
            return r ? { cache: cache, response: r } : null;
          });
        });
      });
    }, Promise.resolve(null));
  });
}

function cacheable(response) {
  return response.ok && !response.redirected && response.type === 'basic' &&
    !/no-store/i.test(response.headers.get('Cache-Control') || '');
}

// navigate asks the network first. A saved page is answered from the device
// when the network fails or keeps it waiting, and refreshed when the network
// answers; anything else without a network gets the offline page.
function navigate(request) {
  var network = fetch(request);
  var saved = savedCopy(request);
  var refreshed = Promise.all([network, saved]).then(function (both) {
    var response = both[0], copy = both[1];
    if (copy && cacheable(response)) return copy.cache.put(request.url.split('#')[0], response.clone());
  }).catch(function () {});
  return new Promise(function (resolve, reject) {
    var settled = false;
    function answer(r) { if (!settled && r) { settled = true; resolve(r); } }
    function fallback() {
      return saved.then(function (copy) {
        if (copy) return answer(copy.response);
        return network.catch(function () {
          return caches.match(OFFLINE_PAGE).then(function (page) {
            if (page) answer(page); else reject(new Error('offline'));
          });
        });
      });
    }
    var timer = setTimeout(fallback, NETWORK_WAIT_MS);
    network.then(function (r) { clearTimeout(timer); refreshed.then(function () { answer(r); }); },
      function () { clearTimeout(timer); fallback(); });
  });
}
