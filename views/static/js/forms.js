/* forms.js: when a form comes back with problems, moves focus to the error
 * summary at the top of the page, so a screen reader reads every problem at
 * once and each one links to its field. Without JavaScript the summary is
 * still the first thing in the page's content. */
(function () {
  'use strict';
  var summary = document.getElementById('error-summary');
  if (summary) summary.focus();
})();
