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
