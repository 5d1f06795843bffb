/*
 * The main menu on a small screen: without JavaScript the "Menu" link opens the menu through
 * its address (#main-menu, CSS :target). With this script it becomes a button that opens and
 * closes the menu and tells screen readers whether it is open (aria-expanded).
 */
(function () {
  "use strict";
  var link = document.querySelector("[data-kp-menu-toggle]");
  if (!link) {
    return;
  }
  var nav = link.closest(".kp-nav");
  var list = document.getElementById(link.getAttribute("data-kp-menu-toggle"));
  if (!nav || !list) {
    return;
  }
  var button = document.createElement("button");
  button.type = "button";
  button.className = link.className;
  button.textContent = link.textContent;
  button.setAttribute("aria-controls", list.id);
  button.setAttribute("aria-expanded", "false");
  link.replaceWith(button);
  nav.classList.add("kp-nav--enhanced");

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    list.classList.toggle("kp-nav__list--open", open);
  }

  setOpen(window.location.hash === "#" + nav.id);
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
