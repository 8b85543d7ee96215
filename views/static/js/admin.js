/* admin.js: the console's small enhancements; every page works without it.
 *  - Live preview: a textarea[data-preview-url] sends its Markdown (debounced)
 *    to the server, which renders and sanitises it exactly as the reader does,
 *    and the answer replaces the element named by data-preview-target.
 *  - Confirmation: a form[data-confirm] asks before it is sent. */
(function () {
  'use strict';

  var DEBOUNCE_MS = 400;
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute('content') || '' : '';

  function livePreview(textarea) {
    var url = textarea.getAttribute('data-preview-url');
    var target = document.getElementById(textarea.getAttribute('data-preview-target'));
    if (!url || !target || typeof window.fetch !== 'function') return;
    var timer = 0, sent = 0, shown = 0, last = textarea.value, controller = null;

    function render() {
      var body = textarea.value;
      if (body === last) return;
      last = body;
      var seq = ++sent;
      if (controller && controller.abort) controller.abort();
      controller = typeof AbortController === 'function' ? new AbortController() : null;
      target.setAttribute('aria-busy', 'true');
      fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': csrf },
        body: new URLSearchParams({ body_markdown: body }).toString(),
        signal: controller ? controller.signal : undefined
      }).then(function (res) {
        if (!res.ok) throw new Error('preview failed: ' + res.status);
        return res.text();
      }).then(function (html) {
        if (seq < shown) return; // an older answer arriving late
        shown = seq;
        target.innerHTML = html; // sanitised by the server, as for readers
        target.removeAttribute('aria-busy');
      }).catch(function (err) {
        if (err && err.name === 'AbortError') return;
        last = null; // try again on the next keystroke
        target.removeAttribute('aria-busy');
        var note = document.createElement('p');
        note.className = 'field-error';
        note.textContent = textarea.getAttribute('data-text-preview-failed');
        target.insertBefore(note, target.firstChild);
      });
    }

    textarea.addEventListener('input', function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(render, DEBOUNCE_MS);
    });
  }

  var editors = document.querySelectorAll('textarea[data-preview-url]');
  for (var i = 0; i < editors.length; i++) livePreview(editors[i]);

  document.addEventListener('submit', function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) event.preventDefault();
  });
}());
