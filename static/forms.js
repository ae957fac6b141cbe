/* A half-typed date ("12.03.20" in a date field) is sent by the browser as nothing at all, and the
   server cannot tell it from a field left empty: an optional date was saved as none without a word.
   When a form is sent, each such field sends a marker in front of its empty value instead, with the
   value the field held before the person typed (a stored date), and the server refuses it with its
   own message, as any other mistake, showing that value again (forms.py, INCOMPLETE_MARKER). A
   filter (a GET form, the change log's period) says so too instead of filtering by nothing.
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
    if (!(form instanceof HTMLFormElement)) {
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

  /* htmx enhances, never required: a form or link made for a part of a page (the agenda, a
     comment thread) that is opened on a page of its own (in a new tab, after logging in) finds no
     part to update, and htmx would do nothing at all. It does what it does without JavaScript. */
  var submitters = new WeakMap();
  document.addEventListener("submit", function (event) {
    if (event.submitter) {
      submitters.set(event.target, event.submitter);
    }
  }, true);

  document.addEventListener("htmx:targetError", function (event) {
    var elt = event.target;
    var form = elt instanceof HTMLFormElement ? elt : elt.closest("form");
    if (elt instanceof HTMLAnchorElement && elt.href) {
      window.location.assign(elt.href);
    } else if (form) {
      var submitter = submitters.get(form);
      if (submitter && submitter.name) {  // the button's own name and value, as a plain form sends them
        var pressed = document.createElement("input");
        pressed.type = "hidden";
        pressed.name = submitter.name;
        pressed.value = submitter.value;
        form.appendChild(pressed);
      }
      HTMLFormElement.prototype.submit.call(form);  // no submit event: htmx stays out of it
    }
  });

  // Sent once: a form that stays on the page (an answer htmx did not swap in) starts clean.
  document.addEventListener("htmx:afterRequest", function (event) {
    removeMarkers(event.detail.elt.closest("form") || event.detail.elt);
  });
}());
