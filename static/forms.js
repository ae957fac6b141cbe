/* A half-typed date ("12.03.20" in a date field) is sent by the browser as nothing at all, and the
   server cannot tell it from a field left empty: an optional date was saved as none without a word.
   Before a form is posted, each such field sends a marker in front of its empty value instead, and
   the server refuses it with its own message, as any other mistake (forms.py, INCOMPLETE).
   Without JavaScript the browser's empty value is all there is. */
(function () {
  "use strict";
  var MARKER = "incomplete";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") {
      return;
    }
    form.querySelectorAll("input[data-incomplete-marker]").forEach(function (old) { old.remove(); });
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.validity && field.validity.badInput) {
        var marker = document.createElement("input");
        marker.type = "hidden";
        marker.name = field.name;
        marker.value = MARKER;
        marker.setAttribute("data-incomplete-marker", "");
        field.before(marker);
      }
    });
  }, true);
}());
