/* offline.js: offline reading (progressive enhancement, on every page).
 * Registers the service worker (/sw.js), offers "Save for offline" per open
 * week on the course home, lists what is saved on the offline page, and keeps
 * a shared phone clean: signing out deletes the person's saved pages and
 * queued items, and a page of anyone else deletes those of the one before.
 * Without service workers the page stays as the server sent it: the save
 * controls are hidden. */
(function () {
  'use strict';
  if (!('serviceWorker' in navigator) || !window.caches || typeof Promise !== 'function') return;

  var SAVED_PREFIX = 'courseportal-saved-';
  var QUEUE_PREFIX = 'courseportal-';
  var meta = document.querySelector('meta[name="offline-key"]');
  var key = meta ? meta.getAttribute('content') || '' : '';
  var mine = key ? SAVED_PREFIX + key : '';
  var offlinePage = document.getElementById('offline-page');

  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function () {});

  // forget deletes every saved page and queued item on the device except
  // those of the cache named keep ('' keeps nothing).
  function forget(keep) {
    var pages = caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) {
        return n.indexOf(SAVED_PREFIX) === 0 && n !== keep;
      }).map(function (n) { return caches.delete(n); }));
    });
    var queued = window.indexedDB && indexedDB.databases ? indexedDB.databases().then(function (dbs) {
      return Promise.all(dbs.filter(function (db) {
        return db.name && db.name.indexOf(QUEUE_PREFIX) === 0 && (!key || !keep || db.name.slice(-key.length) !== key);
      }).map(function (db) {
        return new Promise(function (done) {
          var req = indexedDB.deleteDatabase(db.name);
          req.onsuccess = req.onerror = req.onblocked = function () { done(); };
        });
      }));
    }) : Promise.resolve();
    return Promise.all([pages, queued]);
  }

  // A page served by the network names who is signed in (nobody, when the
  // meta is missing): only that person's saved pages stay. The offline page
  // is the device's own copy and names nobody, so it changes nothing.
  if (!offlinePage) forget(mine).catch(function () {});

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (form.getAttribute('action') !== '/logout' || form.getAttribute('data-forgotten')) return;
    event.preventDefault();
    var send = function () { form.setAttribute('data-forgotten', 'true'); form.submit(); };
    forget('').then(send, send);
  });

  function kilobytes(bytes) { return Math.max(1, Math.round(bytes / 1024)); }

  // measure reports how many of urls are saved and the bytes they take.
  function measure(urls) {
    return caches.open(mine).then(function (cache) {
      return Promise.all(urls.map(function (url) {
        return cache.match(url).then(function (r) { return r ? r.blob().then(function (b) { return b.size; }) : -1; });
      }));
    }).then(function (sizes) {
      var saved = sizes.filter(function (s) { return s >= 0; });
      return { count: saved.length, bytes: saved.reduce(function (a, b) { return a + b; }, 0) };
    });
  }

  function savable(response) {
    return response.ok && !response.redirected && !/no-store/i.test(response.headers.get('Cache-Control') || '');
  }

  function weekControls(block) {
    var urls = (block.getAttribute('data-offline-urls') || '').split(' ').filter(Boolean);
    var save = block.querySelector('[data-offline-save]');
    var remove = block.querySelector('[data-offline-remove]');
    var status = block.querySelector('.offline-status');
    function show() {
      return measure(urls).then(function (m) {
        var all = m.count === urls.length;
        block.setAttribute('data-saved', all ? 'true' : 'false');
        save.hidden = all;
        save.disabled = false;
        remove.hidden = m.count === 0;
        status.textContent = all ? 'Saved for offline reading · ' + kilobytes(m.bytes) + ' KB' :
          m.count ? 'Partly saved (' + m.count + ' of ' + urls.length + ') · ' + kilobytes(m.bytes) + ' KB' : '';
      });
    }
    save.addEventListener('click', function () {
      save.disabled = true;
      block.removeAttribute('data-saved');
      status.textContent = 'Saving…';
      caches.open(mine).then(function (cache) {
        return Promise.all(urls.map(function (url) {
          return fetch(url, { credentials: 'same-origin', cache: 'no-cache' }).then(function (r) {
            if (!savable(r)) throw new Error('not savable: ' + url);
            return cache.put(url, r);
          });
        }));
      }).then(show, function () {
        return show().then(function () {
          status.textContent = 'This week could not be saved. Try again when the connection is better.';
        });
      });
    });
    remove.addEventListener('click', function () {
      caches.open(mine).then(function (cache) {
        return Promise.all(urls.map(function (url) { return cache.delete(url); }));
      }).then(show);
    });
    show().then(function () { block.hidden = false; });
  }

  if (mine) {
    var blocks = document.querySelectorAll('[data-offline-week]');
    for (var i = 0; i < blocks.length; i++) weekControls(blocks[i]);
  }

  // The offline page lists the readings saved on this device.
  var list = document.getElementById('offline-saved');
  if (offlinePage && list) {
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf(SAVED_PREFIX) === 0; }).map(function (n) {
        return caches.open(n).then(function (cache) {
          return cache.keys().then(function (requests) {
            return Promise.all(requests.map(function (req) {
              return cache.match(req).then(function (r) { return r.text(); }).then(function (html) {
                var title = new DOMParser().parseFromString(html, 'text/html').title.replace(/ · courseportal$/, '');
                return { url: new URL(req.url).pathname, title: title };
              });
            }));
          });
        });
      }));
    }).then(function (groups) {
      var items = [].concat.apply([], groups);
      if (!items.length) return;
      var ul = list.querySelector('ul');
      items.forEach(function (item) {
        var li = document.createElement('li'), a = document.createElement('a');
        a.href = item.url;
        a.textContent = item.title || item.url;
        li.appendChild(a);
        ul.appendChild(li);
      });
      list.hidden = false;
    }).catch(function () {});
  }
}());
