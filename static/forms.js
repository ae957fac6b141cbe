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
  // The button a form is being sent by, while htmx handles that submit event (it asks for its
  // target in the same turn): a form sent by a change or a timer has none.
  var pressed = null;
  document.addEventListener("submit", function (event) {
    pressed = event.submitter || null;
    setTimeout(function () { pressed = null; }, 0);
  }, true);
  // A request that was sent: a target missing in its answer (HX-Retarget) is not this case, and
  // sending the form again would do its work twice.
  var sent = new WeakSet();
  // beforeSend, not beforeRequest: a request cancelled before it went (below) never ends
  document.addEventListener("htmx:beforeSend", function (event) { sent.add(event.detail.elt); });
  document.addEventListener("htmx:afterRequest", function (event) { sent.delete(event.detail.elt); });

  document.addEventListener("htmx:targetError", function (event) {
    var elt = event.target;
    if (sent.has(elt)) {
      return;
    }
    if (elt instanceof HTMLAnchorElement && elt.href) {
      window.location.assign(elt.href);
    } else if (elt instanceof HTMLFormElement) {
      var button = pressed && pressed.form === elt ? pressed : null;
      if (button && button.hasAttribute("formaction")) {
        elt.action = button.formAction;
      }
      if (button && button.name) {  // the button's own name and value, as a plain form sends them
        var value = document.createElement("input");
        value.type = "hidden";
        value.name = button.name;
        value.value = button.value;
        elt.appendChild(value);
      }
      HTMLFormElement.prototype.submit.call(elt);  // no submit event: htmx stays out of it
    }
  });

  /* Typed input is not thrown away by a part of the page being loaded again: the header's search
     (results as one types, in place of the page) or a second click on "Kommentieren" replaced a
     form holding unsaved text. Such a request is not sent while its target holds a changed form;
     after a click the focus goes to the form's first changed field. A form sent into a part that
     holds another changed form asks first. Following a link or pressing Enter in the search still
     leaves the page, as a loaded page does. */
  function changed(field) {
    if (field.type === "hidden" || field.disabled) {
      return false;
    }
    if (field.type === "checkbox" || field.type === "radio") {
      return field.checked !== field.defaultChecked;
    }
    if (field instanceof HTMLSelectElement) {
      var options = Array.from(field.options);
      if (field.multiple || options.some(function (option) { return option.defaultSelected; })) {
        return options.some(function (option) { return option.selected !== option.defaultSelected; });
      }
      // none marked selected: the browser shows the first one that can be chosen, untouched
      return field.selectedIndex !== options.findIndex(function (option) { return !option.disabled; });
    }
    return "defaultValue" in field && field.value !== field.defaultValue;
  }

  /* A form given back after a refusal (its error summary or the conflict's stored version above
     its fields) holds the person's input as its default values: none of it is saved yet. */
  var NOT_TYPED = ["hidden", "checkbox", "radio", "submit", "button", "reset", "file"];
  function keptInput(form) {
    if (!form.querySelector(".form-errors, .conflict")) {
      return null;
    }
    return Array.from(form.elements).find(function (field) {
      return !field.disabled && (field instanceof HTMLTextAreaElement
        || (field instanceof HTMLInputElement && NOT_TYPED.indexOf(field.type) === -1)) && field.value.trim() !== "";
    }) || null;
  }

  function firstChanged(root, except) {
    var forms = root.matches("form[method=post]") ? [root] : Array.from(root.querySelectorAll("form[method=post]"));
    for (var i = 0; i < forms.length; i++) {
      if (forms[i] === except) {
        continue;
      }
      var field = Array.from(forms[i].elements).find(changed) || keptInput(forms[i]);
      if (field) {
        return field;
      }
    }
    return null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var config = event.detail.requestConfig || {};
    var trigger = config.triggeringEvent;
    if (event.detail.boosted || config.boosted) {
      return;
    }
    if (config.verb !== "get") {
      // Sending one form whose answer replaces a part holding another one with typed input (the
      // agenda, with an item's edit form open): asked first, that input would be lost.
      var own = event.detail.elt.closest ? event.detail.elt.closest("form") : null;
      var other = event.detail.target && firstChanged(event.detail.target, own);
      if (other && !window.confirm(document.body.dataset.unsavedInput)) {
        event.preventDefault();
        other.focus();
      }
      return;
    }
    if (trigger && trigger.type === "search") {
      if (!trigger.target.value.trim()) {
        event.preventDefault();  // Esc or ✕ emptied the box: nothing to search, the page stays
      }
      return;  // Enter: the person asked to leave the page for the results
    }
    var target = event.detail.target;
    var field = target && firstChanged(target);
    if (field) {
      event.preventDefault();
      if (trigger && trigger.type === "click") {
        field.focus();  // typing in the search box goes on there, and a poll moves nothing
      }
    }
  });

  /* A filter (a GET form sent by its changes, hx-trigger "change delay:…") applies a choice at
     once, after a short pause: stepping through a select's options by arrow keys asks once, not
     once per option with a history entry each. Typed text applies with Enter or „Filtern“: its
     change event came on top of Enter's submit, two requests and two history entries. */
  var TYPED = ["text", "search", "email", "url", "tel", "number"];
  document.addEventListener("htmx:confirm", function (event) {
    var trigger = event.detail.triggeringEvent;
    var field = trigger && trigger.type === "change" ? trigger.target : null;
    if (field instanceof HTMLInputElement && field.form && field.form.method === "get"
        && TYPED.indexOf(field.type) !== -1) {
      event.preventDefault();
    }
  });

  /* A form opened in place (a comment, a reply, an agenda item's edit form) closes again by its
     „Abbrechen“ or by Escape, without loading the page, and the focus goes back to the link that
     opened it, as after closing a dialog; typed input is not dropped without asking. Without
     JavaScript, and on a page of its own, „Abbrechen“ is a link to where the form belongs. */
  var openers = new WeakMap();
  document.addEventListener("htmx:beforeRequest", function (event) {
    var slot = event.detail.target;
    if (slot && slot.hasAttribute && slot.hasAttribute("data-form-slot") && !event.defaultPrevented) {
      openers.set(slot, event.detail.elt);
    }
  });

  function closeInPlace(slot) {
    var typed = firstChanged(slot);
    if (typed && !window.confirm(document.body.dataset.discardInput)) {
      typed.focus();
      return;
    }
    var opener = openers.get(slot);
    var home = opener && opener.isConnected ? opener : slot.parentElement.closest("[id]");
    slot.replaceChildren();
    if (home) {
      if (!home.matches("a[href], button, input, select, textarea, [tabindex]")) {
        home.setAttribute("tabindex", "-1");
      }
      home.focus();
    }
  }

  document.addEventListener("click", function (event) {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button !== 0) {
      return;  // the link opened elsewhere (a new tab) leaves this form as it is
    }
    var link = event.target.closest && event.target.closest("[data-close-form]");
    var slot = link && link.closest("[data-form-slot]");
    if (slot) {
      event.preventDefault();
      closeInPlace(slot);
    }
  });
  document.addEventListener("keydown", function (event) {
    var slot = event.key === "Escape" && !event.defaultPrevented && !event.isComposing && event.target.closest
      ? event.target.closest("[data-form-slot]") : null;
    if (slot && slot.querySelector("form")) {
      event.preventDefault();
      closeInPlace(slot);
    }
  });

  // Sent once: a form that stays on the page (an answer htmx did not swap in) starts clean.
  document.addEventListener("htmx:afterRequest", function (event) {
    removeMarkers(event.detail.elt.closest("form") || event.detail.elt);
  });
}());
