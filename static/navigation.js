/* Moving around the site by keyboard: the phone menu, and where the focus is after a page change. */

/* The phone menu is a <details>: it opens and closes without JavaScript. Escape closes it as well,
   as it closes any menu, and gives the focus back to its button ("Menü"), where the person was. */
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    var menu = document.querySelector(".main-nav-menu[open]");
    if (!menu || !menu.contains(document.activeElement)) {
      return;
    }
    var button = menu.querySelector("summary");
    if (getComputedStyle(button).display === "none") {
      return;  // a wide screen shows the list itself, without the menu button
    }
    menu.open = false;
    button.focus();
  });
}());

/* hx-boost changes the page without loading it. A loaded page starts at its top and screen readers
   announce it; after a boosted change the focus was left on the body, nothing was announced, and
   Tab started again at the header. Where the new page does not place the focus itself (a refused
   form's message, a confirmation's question: autofocus), it goes to the part the address names
   (#agenda) or to the page's heading: screen readers read where the person now is, and Tab goes on
   from there, as after following a skip link. */
(function () {
  "use strict";

  function focusOn(element) {
    if (!element.matches("a[href], button, input, select, textarea, summary, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  /* A part of the page swapped in place of the element that had the focus (a link that showed
     more, such as a section's resolved discussions) left it on the body as well: it goes to the
     part that came instead, where the person goes on reading. */
  var lostWith = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target, active = document.activeElement;
    lostWith = target && target.id && active && active !== document.body && target.contains(active) ? target.id : null;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail;
    if (document.activeElement && document.activeElement !== document.body) {
      return;
    }
    if (!detail.boosted) {
      var part = lostWith && document.getElementById(lostWith);
      lostWith = null;
      if (part) {
        focusOn(part);
      }
      return;
    }
    var anchor = (detail.pathInfo && detail.pathInfo.anchor) || location.hash.slice(1);
    var target = anchor && document.getElementById(decodeURIComponent(anchor));
    target = target || document.querySelector("main h1") || document.getElementById("main");
    if (target) {
      focusOn(target);
    }
  });
}());
