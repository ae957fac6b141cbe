/* A half-typed date ("12.03.20" in a date field) is sent by the browser as nothing at all, and the
   server cannot tell it from a field left empty: an optional date was saved as none without a word.
   Before a form is posted, each such field sends a marker in front of its empty value instead, with
   the value the field held before the person typed (a stored date), and the server refuses it with
   its own message, as any other mistake, showing that value again (forms.py, INCOMPLETE_MARKER).
   Without JavaScript the browser's empty value is all there is. */
(function () {
  "use strict";
  var MARKER = "incomplete";
  var DATE_TYPES = ["date", "datetime-local", "time", "month", "week"];

  function removeMarkers(root) {
    root.querySelectorAll("input[data-incomplete-marker]").forEach(function (old) { old.remove(); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    // The attribute, not form.method: a field named "method" (a round's voting method) hides it.
    if (!(form instanceof HTMLFormElement) || (form.getAttribute("method") || "").toLowerCase() !== "post") {
      return;
    }
    removeMarkers(form);
    // A copy: the live list of the form's elements grows with each marker.
    Array.from(form.elements).forEach(function (field) {
      if (field.name && DATE_TYPES.indexOf(field.type) !== -1 && field.validity.badInput) {
        var marker = document.createElement("input");
        marker.type = "hidden";
        marker.name = field.name;
        marker.value = field.defaultValue ? MARKER + ":" + field.defaultValue : MARKER;
        marker.setAttribute("data-incomplete-marker", "");
        field.before(marker);
      }
    });
  }, true);

  // Sent once: a form that stays on the page (an answer htmx did not swap in) starts clean.
  document.addEventListener("htmx:afterRequest", function (event) {
    removeMarkers(event.detail.elt.closest("form") || event.detail.elt);
  });
}());
