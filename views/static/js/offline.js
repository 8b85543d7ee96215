/* offline.js: offline reading (progressive enhancement, on every page).
 * Registers the service worker (/sw.js) and tells it the page's language
 * (for its offline page) until it serves the pages, offers "Save for
 * offline" per open week on the course home, lists what is saved on the
 * offline page, queues
 * "Mark as complete" and check answers sent with no network (queue.js) and
 * replays them when the network returns, and keeps a shared phone clean:
 * signing out deletes the person's saved pages and queued items, and a page
 * of anyone else deletes those of the one before.
 * Without service workers the page stays as the server sent it: the save
 * controls are hidden and forms are sent as usual. */
(function () {
  'use strict';
  if (!('serviceWorker' in navigator) || !window.caches || typeof Promise !== 'function') return;

  var SAVED_PREFIX = 'courseportal-saved-';
  var PORTAL_DATABASES = 'courseportal-';
  var DISCARDED = 'courseportal-discarded-'; // localStorage: writes dropped for KEY, for the notice
  var key = metaContent('offline-key');
  var session = metaContent('offline-session');
  var mine = key ? SAVED_PREFIX + key : '';
  var offlinePage = document.getElementById('offline-page');
  var queue = window.courseportalQueue && key && session ? window.courseportalQueue : null;

  function metaContent(name) {
    var meta = document.querySelector('meta[name="' + name + '"]');
    return meta ? meta.getAttribute('content') || '' : '';
  }

  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function () {});

  // The worker shows its offline page in the language of the last page the
  // network gave, from the pages it serves. A page it did not serve (the
  // first, before it took over) tells it; console pages are English
  // whatever the language chosen, and say nothing.
  if (!navigator.serviceWorker.controller && !offlinePage && !/^\/admin(\/|$)/.test(location.pathname)) {
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.active) reg.active.postMessage({ language: document.documentElement.lang });
    }).catch(function () {});
  }

  // forget deletes every saved page and portal database (queued writes) on
  // the device except those of the cache named keep ('' keeps nothing).
  // Writes of a sign-in that ended are counted first, for a notice when that
  // person signs in again, unless they are signing out.
  function forget(keep, signingOut) {
    var pages = caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) {
        return n.indexOf(SAVED_PREFIX) === 0 && n !== keep;
      }).map(function (n) { return caches.delete(n); }));
    });
    var queued = window.indexedDB && indexedDB.databases ? indexedDB.databases().then(function (dbs) {
      return Promise.all(dbs.filter(function (db) {
        return db.name && db.name.indexOf(PORTAL_DATABASES) === 0 && (!keep || db.name.slice(-key.length) !== key);
      }).map(function (db) {
        return (signingOut ? Promise.resolve() : countDiscarded(db.name)).catch(function () {}).then(function () {
          return new Promise(function (done) {
            var req = indexedDB.deleteDatabase(db.name);
            req.onsuccess = req.onerror = req.onblocked = function () { done(); };
          });
        });
      }));
    }) : Promise.resolve();
    return Promise.all([pages, queued]);
  }

  function countDiscarded(name) {
    var q = window.courseportalQueue;
    if (!q || name.indexOf(q.prefix) !== 0) return Promise.resolve();
    var owner = name.slice(q.prefix.length);
    return q.count(owner).then(function (n) {
      if (n) localStorage.setItem(DISCARDED + owner, String((+localStorage.getItem(DISCARDED + owner) || 0) + n));
    });
  }

  // A page served by the network names who is signed in (nobody, when the
  // meta is missing): only that person's saved pages and queue stay. The
  // offline page is the device's own copy and names nobody, so it changes
  // nothing.
  if (!offlinePage) forget(mine, false).catch(function () {});

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (form.getAttribute('action') !== '/logout' || form.getAttribute('data-forgotten')) return;
    event.preventDefault();
    var send = function () { form.setAttribute('data-forgotten', 'true'); form.submit(); };
    forget('', true).then(send, send);
  });

  function kilobytes(bytes) { return Math.max(1, Math.round(bytes / 1024)); }

  // text is a message in the page's language, from the element's
  // data-text-* attributes (English if the page has none).
  function text(el, name, english) { return el.getAttribute('data-text-' + name) || english; }

  // measure reports how many of urls are saved and the bytes they take,
  // with their knowledge checks' pages.
  function measure(urls) {
    return caches.open(mine).then(function (cache) {
      function size(url) {
        return cache.match(url).then(function (r) { return r ? r.blob().then(function (b) { return b.size; }) : -1; });
      }
      return Promise.all(urls.map(function (url) {
        return Promise.all([size(url), size(url + '/check')]).then(function (s) { return s[0] < 0 ? -1 : s[0] + Math.max(0, s[1]); });
      }));
    }).then(function (sizes) {
      var saved = sizes.filter(function (s) { return s >= 0; });
      return { count: saved.length, bytes: saved.reduce(function (a, b) { return a + b; }, 0) };
    });
  }

  function savable(response) {
    return response.ok && !response.redirected && !/no-store/i.test(response.headers.get('Cache-Control') || '');
  }

  // savePage keeps one page in the person's cache and gives its HTML.
  function savePage(cache, url) {
    return fetch(url, { credentials: 'same-origin', cache: 'no-cache' }).then(function (r) {
      if (!savable(r)) throw new Error('not savable: ' + url);
      return r.clone().text().then(function (html) { return cache.put(url, r).then(function () { return html; }); });
    });
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
        status.textContent = all ? text(block, 'saved', 'Saved for offline reading · {kb} KB').replace('{kb}', kilobytes(m.bytes)) :
          m.count ? text(block, 'partly', 'Partly saved ({count} of {total}) · {kb} KB').replace('{count}', m.count)
            .replace('{total}', urls.length).replace('{kb}', kilobytes(m.bytes)) : '';
      });
    }
    save.addEventListener('click', function () {
      save.disabled = true;
      block.removeAttribute('data-saved');
      status.textContent = text(block, 'saving', 'Saving…');
      caches.open(mine).then(function (cache) {
        return Promise.all(urls.map(function (url) {
          return savePage(cache, url).then(function (html) {
            // A reading with a knowledge check links it: keep it too, so it
            // can be answered with no network.
            if (html.indexOf('href="' + url + '/check"') >= 0) return savePage(cache, url + '/check');
          });
        }));
      }).then(show, function () {
        return show().then(function () {
          status.textContent = text(block, 'failed', 'This week could not be saved. Try again when the connection is better.');
        });
      });
    });
    remove.addEventListener('click', function () {
      caches.open(mine).then(function (cache) {
        return Promise.all(urls.map(function (url) {
          return Promise.all([cache.delete(url), cache.delete(url + '/check')]);
        }));
      }).then(show);
    });
    show().then(function () { block.hidden = false; });
  }

  if (mine) {
    var blocks = document.querySelectorAll('[data-offline-week]');
    for (var i = 0; i < blocks.length; i++) weekControls(blocks[i]);
  }

  // Queued writes. freshToken reads a new CSRF token from a page of the
  // signed-in person (the token is bound to the sign-in).
  function freshToken() {
    return fetch('/dashboard', { credentials: 'same-origin', cache: 'no-store' }).then(function (r) { return r.text(); })
      .then(function (html) {
        var m = /<meta name="csrf-token" content="([^"]*)">/.exec(html);
        if (!m) throw new Error('no token');
        document.querySelector('meta[name="csrf-token"]').setAttribute('content', m[1]);
        return m[1];
      });
  }

  function showNotice(text) {
    var main = document.getElementById('main');
    if (!main) return;
    var p = document.createElement('p');
    p.className = 'flash flash-warning';
    p.setAttribute('role', 'status');
    p.id = 'offline-notice';
    p.textContent = text;
    main.insertBefore(p, main.firstChild);
  }

  function discardedNotice(n) {
    if (!n) return;
    var main = document.getElementById('main') || document.documentElement;
    showNotice(n === 1 ? text(main, 'discarded-one', '1 offline update from a previous sign-in was discarded: it was saved on this device before that sign-in ended.') :
      text(main, 'discarded-many', '{n} offline updates from a previous sign-in were discarded: they were saved on this device before that sign-in ended.').replace('{n}', n));
  }

  var replaying = null;
  // flush sends what is queued (once at a time in this page; queue.js locks
  // against the worker), then shows how many writes were discarded.
  function flush() {
    if (!queue || replaying || navigator.onLine === false) return replaying || Promise.resolve();
    var token = metaContent('csrf-token');
    replaying = queue.replay(key, session, token, freshToken).then(function (tally) {
      return queue.takeDiscarded(key).then(function (n) {
        discardedNotice(n);
        document.documentElement.setAttribute('data-queue-left', String(tally.left));
        return tally;
      });
    }).catch(function () {}).then(function (t) { replaying = null; return t; });
    return replaying;
  }

  // enqueue keeps a write for later and asks the worker to send it when the
  // network returns (Background Sync), where the browser has it.
  function enqueue(item) {
    item.session = session;
    return queue.add(key, item).then(function () {
      document.documentElement.setAttribute('data-queue-left', 'pending');
      return navigator.serviceWorker.ready.then(function (reg) {
        if (reg.sync) return reg.sync.register('courseportal-queue');
      }).catch(function () {});
    });
  }

  if (queue) {
    window.courseportalOffline = { enqueue: enqueue, flush: flush, freshToken: freshToken };
    var noted = +localStorage.getItem(DISCARDED + key) || 0;
    localStorage.removeItem(DISCARDED + key);
    discardedNotice(noted);
    window.addEventListener('online', flush);
    queue.count(key).then(function (n) { if (n) flush(); }).catch(function () {});

    // Forms marked data-offline-queue ("Mark as complete", check answers)
    // sent with no network wait on the device instead of failing.
    document.addEventListener('submit', function (event) {
      var form = event.target;
      if (!form.hasAttribute('data-offline-queue') || navigator.onLine !== false) return;
      event.preventDefault();
      var fields = new URLSearchParams(new FormData(form));
      fields.delete('_csrf');
      enqueue({ kind: 'form', url: form.getAttribute('action'), method: 'POST', form: fields.toString() }).then(function () {
        var note = document.createElement('p');
        note.className = 'flash offline-queued';
        note.setAttribute('role', 'status');
        note.textContent = form.getAttribute('data-offline-queue');
        form.parentNode.replaceChild(note, form);
      }, function () {
        showNotice('This could not be kept on the device. Send it again when you are back online.');
      });
    });
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
