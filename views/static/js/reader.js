/* reader.js: reading progress for the reader page (progressive enhancement).
 * The page works without it; this only saves how far the reader got and how
 * long they actively read. With no network (a saved reading on a train) the
 * reports wait on the device (offline.js, queue.js) and are sent when the
 * network returns. Contract: #reading[data-progress-url] (see template). */
(function () {
  'use strict';

  var article = document.getElementById('reading');
  var url = article && article.getAttribute('data-progress-url');
  // No reader page, instructor preview (no URL) or a very old browser: do nothing.
  if (!url || typeof window.fetch !== 'function' || typeof Set !== 'function') return;

  var DWELL_MS = 1000;          // on screen this long before a paragraph counts as seen
  var VISIBLE_SHARE = 0.6;      // ...with 60 % of it (or of the viewport, if taller) visible
  var SEND_EVERY_MS = 10000;    // at most one regular request per 10 s
  var IDLE_MS = 60000;          // no input/scroll for 60 s: stop counting time
  var MAX_BACKOFF_MS = 300000;  // errors back off 10 s, 20 s, ... up to 5 min

  var paras = {};               // paragraph number -> element
  var list = article.querySelectorAll('p[id^="p-"]');
  for (var i = 0; i < list.length; i++) {
    var m = /^p-(\d+)$/.exec(list[i].id);
    if (m) paras[+m[1]] = list[i];
  }
  var total = parseInt(article.getAttribute('data-paragraphs'), 10) || list.length;
  if (!total) return;

  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var course = article.getAttribute('data-course') || '';
  var status = document.getElementById('progress-status');
  var bar = document.getElementById('reading-progress');
  var serverPos = article.getAttribute('data-position') || '';
  var basePercent = clamp(parseInt(article.getAttribute('data-percent'), 10) || 0);
  var completed = article.getAttribute('data-completed') === 'true';

  var seen = new Set();         // paragraph numbers seen this visit (server keeps only the max)
  var visibleSince = new Map(); // number -> time it started qualifying as visible
  var intersecting = new Set(); // numbers IntersectionObserver reports on screen
  var lastPos = /^p-\d+$/.test(serverPos) ? serverPos : (list[0] ? list[0].id : 'p-1');
  var confirmed = { percent: basePercent, position: lastPos }; // last state the server acknowledged
  var sent = { percent: basePercent, position: lastPos };      // last state sent (optimistic)
  var pendingMs = 0;            // active reading time not yet acknowledged by the server
  var now = Date.now;
  var lastActivity = now(), lastTick = now();
  var nextSendAt = now() + SEND_EVERY_MS, backoff = 0, inFlight = false, stopped = false;
  var keptOnDevice = false;     // the status line says progress waits on the device
  var renewedToken = false;     // the CSRF token was renewed after a 403 once already

  function clamp(n) { return Math.max(0, Math.min(100, n)); }

  function viewportHeight() { return window.innerHeight || document.documentElement.clientHeight; }

  // Seen = 60 % of the paragraph visible, or, for a paragraph taller than the
  // viewport (which can never be 60 % visible), 60 % of the viewport filled by it.
  function qualifies(rect, vh) {
    var shown = Math.min(rect.bottom, vh) - Math.max(rect.top, 0);
    return shown > 0 && (shown >= VISIBLE_SHARE * rect.height || shown >= VISIBLE_SHARE * vh);
  }

  function evaluate(n, rect, vh) {
    if (seen.has(n)) return;
    if (!qualifies(rect, vh)) { visibleSince.delete(n); return; }
    if (!visibleSince.has(n)) {
      visibleSince.set(n, now());
      setTimeout(function () { confirmSeen(n); }, DWELL_MS);
    } else {
      confirmSeen(n);
    }
  }

  // Still on screen after the dwell time (re-measured: the observer only fires on threshold crossings).
  function confirmSeen(n) {
    var since = visibleSince.get(n);
    if (since === undefined || seen.has(n) || now() - since < DWELL_MS - 50) return;
    if (document.visibilityState !== 'visible') return;
    if (!qualifies(paras[n].getBoundingClientRect(), viewportHeight())) { visibleSince.delete(n); return; }
    seen.add(n);
    visibleSince.delete(n);
    intersecting.delete(n);
    if (observer) observer.unobserve(paras[n]);
  }

  var observer = null;
  if ('IntersectionObserver' in window) {
    // Fine thresholds so tall paragraphs get callbacks as they scroll through;
    // the 1 s tick below also re-checks paragraphs between two thresholds.
    var thresholds = [];
    for (var t = 0; t <= 20; t++) thresholds.push(t / 20);
    observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        var n = +e.target.id.slice(2);
        if (!e.isIntersecting) { intersecting.delete(n); visibleSince.delete(n); return; }
        intersecting.add(n);
        evaluate(n, e.boundingClientRect, e.rootBounds ? e.rootBounds.height : viewportHeight());
      });
    }, { threshold: thresholds });
    Object.keys(paras).forEach(function (n) { observer.observe(paras[n]); });
  }

  function percentNow() {
    var count = 0;
    seen.forEach(function (n) { if (n >= 1 && n <= total) count++; });
    return clamp(Math.max(basePercent, Math.floor(100 * count / total)));
  }

  // Where the reader is now: the furthest seen paragraph whose top is at or
  // above the middle of the viewport (so resuming at it lands on the right spot).
  function positionNow() {
    var mid = viewportHeight() / 2, best = 0;
    seen.forEach(function (n) {
      if (n > best && paras[n].getBoundingClientRect().top <= mid) best = n;
    });
    if (best) lastPos = 'p-' + best;
    return lastPos;
  }

  function send(final) {
    if (stopped) return;
    var seconds = Math.floor(pendingMs / 1000);
    var body = { course: course, percent: Math.max(percentNow(), sent.percent),
      position: positionNow(), seconds: seconds };
    if (!seconds && body.percent === sent.percent && body.position === sent.position) return;
    // Optimistic: a flush on hide while a request is in flight must not resend the same seconds.
    var state = sent = { percent: body.percent, position: body.position };
    pendingMs -= seconds * 1000;
    inFlight = true;
    function fail() { // keep the delta for a later retry, but back off
      pendingMs += seconds * 1000;
      sent = confirmed;
      backoff = Math.min(backoff ? backoff * 2 : SEND_EVERY_MS, MAX_BACKOFF_MS);
      nextSendAt = now() + backoff;
    }
    var offline = window.courseportalOffline;
    if (offline && navigator.onLine === false) return keepOnDevice(body, state, fail);
    fetch(url, {
      method: 'PUT',
      credentials: 'same-origin',
      keepalive: !!final, // lets the request outlive the page (sendBeacon can't PUT or set headers)
      // The token is read at each send: offline.js may have renewed it.
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfMeta ? csrfMeta.getAttribute('content') : '' },
      body: JSON.stringify(body)
    }).then(function (res) {
      if (res.ok) {
        backoff = 0;
        confirmed = state;
        if (keptOnDevice) { keptOnDevice = false; setStatus(''); }
        return res.json().catch(function () { return {}; }).then(applyResponse);
      }
      // A page kept on the device may hold an old token: renew it once, then retry.
      if (res.status === 403 && offline && !renewedToken) {
        renewedToken = true;
        return offline.freshToken().then(fail, stop);
      }
      // Other 4xx won't succeed on retry either (session gone, stale token, reading removed, invalid).
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) stop();
      else fail();
    }, function () { // no network: keep the report on the device when it can
      return offline ? keepOnDevice(body, state, fail) : fail();
    }).catch(function () {}).then(function () { inFlight = false; });
  }

  // keepOnDevice queues a report for when the network returns; the reader
  // goes on as if the server had it.
  function keepOnDevice(body, state, fail) {
    inFlight = true;
    return window.courseportalOffline.enqueue({ kind: 'progress', url: url, method: 'PUT', json: body }).then(function () {
      backoff = 0;
      confirmed = state;
      keptOnDevice = true;
      setStatus(text('offline', 'Offline: your progress is kept on this device and sent when you are back online.'));
    }, fail).then(function () { inFlight = false; });
  }

  function applyResponse(data) {
    if (typeof data.percent === 'number') {
      basePercent = Math.max(basePercent, clamp(Math.floor(data.percent)));
      if (bar) bar.value = data.percent;
    }
    if (data.completed && !completed) {
      completed = true;
      setStatus(text('completed', 'Reading completed \u2713'));
      var actions = document.getElementById('reader-actions');
      var form = actions && actions.querySelector('form');
      if (form) { // nothing left to mark: replace the "Mark as complete" form
        var note = document.createElement('p');
        note.className = 'completed-note';
        note.textContent = text('completed-note', 'Completed');
        form.parentNode.replaceChild(note, form);
      }
      var href = safeUrl(data.certificate_url);
      if (data.course_completed && href && actions) {
        var a = document.createElement('a'); // DOM nodes, never innerHTML with server data
        a.className = 'btn btn-primary';
        a.setAttribute('href', href);
        a.textContent = text('download', 'Download certificate');
        actions.insertBefore(a, actions.firstChild);
      }
    }
  }

  // Only http(s) links, never "javascript:" and the like.
  function safeUrl(u) {
    if (typeof u !== 'string' || !u) return '';
    try {
      var p = new URL(u, location.href);
      return p.protocol === 'http:' || p.protocol === 'https:' ? u : '';
    } catch (e) { return ''; }
  }

  function setStatus(message) { if (status) status.textContent = message; }

  // text is a message in the page's language, from the article's
  // data-text-* attributes (English if the page has none).
  function text(name, english) { return article.getAttribute('data-text-' + name) || english; }

  function stop() {
    stopped = true;
    clearInterval(timer);
    if (observer) observer.disconnect();
    setStatus(text('stopped', "Progress isn't being saved: please reload the page."));
  }

  // Once a second: count active time, re-check visible paragraphs, maybe send.
  var timer = setInterval(function () {
    var t = now(), dt = Math.min(t - lastTick, 2000); // cap: timers may have been paused
    lastTick = t;
    if (document.visibilityState !== 'visible') return;
    if (t - lastActivity < IDLE_MS) pendingMs += dt;
    var vh = viewportHeight();
    (observer ? intersecting : Object.keys(paras).map(Number)).forEach(function (n) {
      evaluate(n, paras[n].getBoundingClientRect(), vh);
    });
    if (!inFlight && t >= nextSendAt) {
      nextSendAt = t + SEND_EVERY_MS;
      send(false);
    }
  }, 1000);

  function activity() { lastActivity = now(); }
  ['scroll', 'wheel', 'keydown', 'pointerdown', 'pointermove', 'touchstart'].forEach(function (ev) {
    window.addEventListener(ev, activity, { passive: true });
  });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') send(true);
    else { activity(); lastTick = now(); } // coming back to the tab counts as activity
  });
  window.addEventListener('pagehide', function () { send(true); });

  // Resumed via a "#p-N" link: the browser scrolled there; briefly mark the spot.
  function highlight() {
    var m = /^#(p-\d+)$/.exec(location.hash);
    var el = m && document.getElementById(m[1]);
    if (!el || !article.contains(el)) return;
    el.classList.add('highlight-target');
    setTimeout(function () { el.classList.remove('highlight-target'); }, 3000);
  }
  highlight();
  window.addEventListener('hashchange', highlight);
})();
