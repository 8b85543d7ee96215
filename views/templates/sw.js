/* sw.js: the portal's service worker (served at /sw.js, scope /).
 * It keeps the shell (styles, scripts, icons, the offline page) so that
 * readings a person saved open without a network, and answers a page that
 * is not saved with the offline page instead of the browser's error.
 * The offline page is kept in every language a person may choose, and the
 * one shown is in the language of the last page the network gave (its
 * Content-Language; the first page, which the worker did not serve, tells it
 * with postMessage): a copy of it is kept as OFFLINE_PAGE.
 * Saved readings live in caches named courseportal-saved-KEY, one per person
 * (KEY comes from <meta name="offline-key">); offline.js fills and empties
 * them. Console pages, JSON, non-GET requests and responses marked no-store
 * are never cached.
 * Writes kept on the device with no network (queue.js) are sent from here
 * when the browser's Background Sync says the network is back, if no page
 * sent them first. */
'use strict';

var VERSION = /*{{.Version}}*/;
var SHELL = /*{{.Shell}}*/;
importScripts(/*{{.Queue}}*/);
var SHELL_CACHE = 'courseportal-shell-' + VERSION;
var SAVED_PREFIX = 'courseportal-saved-';
var OFFLINE_PAGES = /*{{.OfflinePages}}*/; // language → its offline page, in SHELL
var DEFAULT_LANGUAGE = /*{{.DefaultLanguage}}*/;
var OFFLINE_PAGE = '/offline'; // the copy in the person's language
var NETWORK_WAIT_MS = 4000; // a saved copy is served when the network is slower than this

// An update keeps the language of the shell it replaces (caches.match finds
// the old shell's copy, the new one has none yet).
self.addEventListener('install', function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
    return cache.addAll(SHELL);
  }).then(function () {
    return caches.match(OFFLINE_PAGE);
  }).then(function (kept) {
    return useLanguage((kept && kept.headers.get('Content-Language')) || DEFAULT_LANGUAGE);
  }).then(function () { return self.skipWaiting(); }));
});

var language = null; // that of the copy at OFFLINE_PAGE, once read

// useLanguage makes the offline page the one in lang, if the worker keeps
// one in it (the console, English only, never gets here).
function useLanguage(lang) {
  if (!OFFLINE_PAGES[lang] || lang === language) return Promise.resolve();
  return caches.open(SHELL_CACHE).then(function (cache) {
    return (language === null ? cache.match(OFFLINE_PAGE) : Promise.resolve(null)).then(function (kept) {
      if (kept) language = kept.headers.get('Content-Language') || '';
      if (lang === language) return null;
      return cache.match(OFFLINE_PAGES[lang]).then(function (page) {
        if (page) return cache.put(OFFLINE_PAGE, page).then(function () { language = lang; });
      });
    });
  });
}

self.addEventListener('message', function (event) {
  if (event.data && typeof event.data.language === 'string') event.waitUntil(useLanguage(event.data.language));
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
  if (request.mode === 'navigate') event.respondWith(navigate(event));
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
// answers; anything else without a network gets the offline page, in the
// language of the last page the network answered.
function navigate(event) {
  var request = event.request;
  var network = fetch(request);
  event.waitUntil(network.then(function (r) {
    var lang = r.headers.get('Content-Language');
    if (lang) return useLanguage(lang);
  }).catch(function () {}));
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
          return caches.open(SHELL_CACHE).then(function (cache) {
            return cache.match(OFFLINE_PAGE).then(function (page) { return page || cache.match(OFFLINE_PAGES[DEFAULT_LANGUAGE]); });
          }).then(function (page) {
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

// Background Sync: send the queued writes of whoever is signed in. Who that
// is, under which sign-in, and the CSRF token come from a page of theirs; a
// write of another sign-in is dropped (and counted for a notice), never sent
// under this one. Failing leaves the sync for the browser to retry.
self.addEventListener('sync', function (event) {
  if (event.tag === 'courseportal-queue') event.waitUntil(replayQueued());
});

function metaOf(html, name) {
  var m = new RegExp('<meta name="' + name + '" content="([^"]*)">').exec(html);
  return m ? m[1] : '';
}

function replayQueued() {
  var queue = self.courseportalQueue;
  function signedIn() {
    return fetch('/dashboard', { credentials: 'same-origin', cache: 'no-store', redirect: 'manual' }).then(function (r) {
      return r.ok ? r.text() : '';
    });
  }
  return signedIn().then(function (html) {
    var key = metaOf(html, 'offline-key'), session = metaOf(html, 'offline-session');
    if (!queue || !key || !session) return null; // signed out: the next sign-in sorts the queue out
    return queue.replay(key, session, metaOf(html, 'csrf-token'), function () {
      return signedIn().then(function (again) { return metaOf(again, 'csrf-token'); });
    });
  }).then(function (tally) {
    if (tally && tally.left) throw new Error('writes left for later');
  });
}
