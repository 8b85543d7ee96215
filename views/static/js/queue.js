/* queue.js: writes that wait on the device for the network (reading
 * progress, "Mark as complete", knowledge check answers). Shared by the pages
 * (offline.js, reader.js) and the service worker (importScripts), so both
 * replay the same way.
 * One IndexedDB database per person, courseportal-queue-KEY (KEY from
 * <meta name="offline-key">); each write carries the sign-in it was made
 * under (<meta name="offline-session">) and is replayed only under that
 * sign-in: the server refuses it otherwise (409 session_ended), and so does
 * replay, which drops it and counts it for a notice. Writes go in order, each
 * once: a replay holds a lock (Web Locks) so a page and the worker never send
 * the same write twice, and deletes a write as soon as the server answered;
 * a write sent again because its answer was lost carries the same id
 * (X-Offline-Write), which the server answers 409 already_applied. */
(function (scope) {
  'use strict';
  if (!scope.indexedDB || typeof Promise !== 'function') return;

  var PREFIX = 'courseportal-queue-';
  var WRITES = 'writes', NOTES = 'notes';
  var MAX_MERGED_SECONDS = 3600; // the most one progress report may carry

  function request(req) {
    return new Promise(function (done, fail) {
      req.onsuccess = function () { done(req.result); };
      req.onerror = function () { fail(req.error); };
    });
  }

  function open(key) {
    var req = scope.indexedDB.open(PREFIX + key, 1);
    req.onupgradeneeded = function () {
      var db = req.result;
      if (!db.objectStoreNames.contains(WRITES)) db.createObjectStore(WRITES, { autoIncrement: true });
      if (!db.objectStoreNames.contains(NOTES)) db.createObjectStore(NOTES);
    };
    return request(req);
  }

  // run opens the person's database, runs fn(stores) in one transaction and
  // closes it when the transaction is done.
  function run(key, mode, fn) {
    return open(key).then(function (db) {
      return new Promise(function (done, fail) {
        var tx = db.transaction([WRITES, NOTES], mode), result;
        Promise.resolve(fn(tx.objectStore(WRITES), tx.objectStore(NOTES))).then(function (r) { result = r; }, fail);
        tx.oncomplete = function () { db.close(); done(result); };
        tx.onerror = tx.onabort = function () { db.close(); fail(tx.error); };
      });
    });
  }

  function lastEntry(store) {
    return new Promise(function (done, fail) {
      var req = store.openCursor(null, 'prev');
      req.onsuccess = function () { done(req.result); };
      req.onerror = function () { fail(req.error); };
    });
  }

  // merged folds a progress report into the one queued before it for the
  // same reading and sign-in: time adds up, percent and position only grow
  // (the server keeps the furthest), and the server caps time by the real
  // time between reports, so many small reports replayed at once would lose it.
  function merged(last, item) {
    if (!last || last.kind !== 'progress' || item.kind !== 'progress' || last.url !== item.url ||
        last.session !== item.session) return null;
    var a = last.json, b = item.json;
    if (a.seconds + b.seconds > MAX_MERGED_SECONDS) return null;
    var pos = +String(b.position).slice(2) >= +String(a.position).slice(2) ? b.position : a.position;
    return { kind: 'progress', id: writeID(), url: last.url, method: last.method, session: last.session, at: last.at,
      json: { course: b.course, percent: Math.max(a.percent, b.percent), position: pos, seconds: a.seconds + b.seconds } };
  }

  // writeID names a write for the server, which applies it once however
  // often it arrives (X-Offline-Write).
  function writeID() {
    if (scope.crypto && scope.crypto.randomUUID) return scope.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    scope.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join('');
  }

  // add queues one write: {kind: 'progress', json} or {kind: 'form', form}.
  function add(key, item) {
    item.at = Date.now();
    item.id = writeID();
    return run(key, 'readwrite', function (writes) {
      return lastEntry(writes).then(function (cursor) {
        var both = cursor && merged(cursor.value, item);
        if (both) cursor.update(both); else writes.add(item);
      });
    });
  }

  // exists reports whether the person's database is there, without
  // creating it (where the browser can list databases).
  function exists(key) {
    if (!scope.indexedDB.databases) return Promise.resolve(true);
    return scope.indexedDB.databases().then(function (dbs) {
      return dbs.some(function (db) { return db.name === PREFIX + key; });
    });
  }

  // count is how many writes wait; 0 when nothing was ever queued.
  function count(key) {
    return exists(key).then(function (there) {
      return there ? run(key, 'readonly', function (writes) { return request(writes.count()); }) : 0;
    });
  }

  // takeDiscarded returns how many writes replay dropped since the last call.
  function takeDiscarded(key) {
    return exists(key).then(function (there) {
      return there ? takeNote(key) : 0;
    });
  }

  function takeNote(key) {
    return run(key, 'readwrite', function (writes, notes) {
      return request(notes.get('discarded')).then(function (n) {
        notes.delete('discarded');
        return n || 0;
      });
    });
  }

  function noteDiscarded(key, n) {
    if (!n) return Promise.resolve();
    return run(key, 'readwrite', function (writes, notes) {
      return request(notes.get('discarded')).then(function (old) { notes.put((old || 0) + n, 'discarded'); });
    });
  }

  function first(key) {
    return run(key, 'readonly', function (writes) {
      return new Promise(function (done, fail) {
        var req = writes.openCursor();
        req.onsuccess = function () { done(req.result ? { id: req.result.key, item: req.result.value } : null); };
        req.onerror = function () { fail(req.error); };
      });
    });
  }

  // remove deletes a write once the server answered it, unless a report
  // was merged into it meanwhile (a new id): that one is sent again.
  function remove(key, entry) {
    return run(key, 'readwrite', function (writes) {
      return request(writes.get(entry.id)).then(function (now) {
        if (now && now.id === entry.item.id) writes.delete(entry.id);
      });
    });
  }

  function errorCode(res) {
    return res.clone().json().then(function (b) { return b && b.error && b.error.code; }, function () { return ''; });
  }

  // send replays one write with the current CSRF token; redirects are not
  // followed (a form's answer is a redirect to the course home).
  function send(entry, token) {
    var item = entry.item;
    var headers = { 'Accept': 'application/json', 'X-CSRF-Token': token, 'X-Offline-Session': item.session,
      'X-Offline-Write': item.id };
    headers['Content-Type'] = item.kind === 'progress' ? 'application/json' : 'application/x-www-form-urlencoded';
    return fetch(item.url, { method: item.method, credentials: 'same-origin', redirect: 'manual', headers: headers,
      body: item.kind === 'progress' ? JSON.stringify(item.json) : item.form });
  }

  // outcome sorts a response: 'sent', 'dropped' (the sign-in ended),
  // 'refused' (the server will never take it), 'csrf' or 'later'.
  function outcome(res) {
    if (res.type === 'opaqueredirect' || res.ok) return Promise.resolve('sent');
    if (res.status === 401) return Promise.resolve('later'); // signed out: dropped at the next sign-in
    return errorCode(res).then(function (code) {
      if (code === 'session_ended') return 'dropped';
      if (code === 'already_applied') return 'sent'; // its first answer was lost on the way
      if (res.status === 403 && code === 'csrf_failed') return 'csrf';
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) return 'refused';
      return 'later';
    });
  }

  // replay sends the person's queued writes in order, under session, with
  // the CSRF token (freshToken() gives a new one once, after a CSRF refusal).
  // Writes of another sign-in are dropped. It stops at the first network
  // failure, keeping the rest. Resolves to {sent, dropped, refused, left}.
  function replay(key, session, token, freshToken) {
    var tally = { sent: 0, dropped: 0, refused: 0, left: 0 };
    function next(retried) {
      return first(key).then(function (entry) {
        if (!entry) return tally;
        if (entry.item.session !== session) {
          tally.dropped++;
          return remove(key, entry).then(function () { return next(false); });
        }
        return send(entry, token).then(outcome).then(function (result) {
          if (result === 'csrf' && !retried) {
            return freshToken().then(function (t) { token = t; return next(true); });
          }
          if (result === 'later' || result === 'csrf') {
            return count(key).then(function (n) { tally.left = n; return tally; });
          }
          tally[result]++;
          return remove(key, entry).then(function () { return next(false); });
        });
      }, function () { return tally; });
    }
    function locked() {
      return exists(key).then(function (there) { return there ? next(false) : tally; }).then(function (t) {
        return noteDiscarded(key, t.dropped).then(function () { return t; });
      }, function () {
        return count(key).then(function (n) { tally.left = n; return noteDiscarded(key, tally.dropped); })
          .then(function () { return tally; });
      });
    }
    var locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request(PREFIX + key, locked) : locked();
  }

  scope.courseportalQueue = { prefix: PREFIX, add: add, count: count, replay: replay, takeDiscarded: takeDiscarded };
}(self));
