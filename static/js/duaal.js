/* Duaal's small behaviours, loaded with defer by base.html. No inline scripts (strict CSP):
   every handler lives here. Each section is self-contained; keep them that way. */
"use strict";

/* --- Header menu (design system, issue 8) -------------------------------------------------
   The ☰ button opens and closes #site-menu on phones and tablets (the CSS shows the menu as a
   single row on wide screens). Escape closes it and gives the focus back to the button. Without
   JavaScript the CSS keeps the menu open (@media (scripting: none)). */
(function () {
  var toggle = document.querySelector(".menu-toggle[aria-controls]");
  if (!toggle) return;
  var menu = document.getElementById(toggle.getAttribute("aria-controls"));
  if (!menu) return;
  function setOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || toggle.getAttribute("aria-expanded") !== "true") return;
    if (!menu.contains(document.activeElement) && document.activeElement !== toggle) return;
    setOpen(false);
    toggle.focus();
  });
})();
/* --- /Header menu ---------------------------------------------------------------------- */
