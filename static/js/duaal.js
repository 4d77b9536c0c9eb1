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

/* --- Confirmation dialogs ---------------------------------------------------------------
 * A control with data-confirm="<dialog id>" opens that <dialog class="dialog"> instead of
 * doing what it does without JavaScript (a link or GET form to the confirmation page, which
 * holds the same form). Cancel (a formmethod="dialog" button) and Escape close the dialog;
 * focus returns to the control that opened it.
 */
(function () {
  "use strict";

  function open(opener, dialog) {
    dialog.showModal();
    dialog.addEventListener(
      "close",
      function () {
        var form = dialog.querySelector("form");
        if (form && dialog.returnValue !== "confirmed") {
          form.reset();
        }
        if (opener.isConnected) {
          opener.focus();
        }
      },
      { once: true }
    );
  }

  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-confirm]");
    if (!opener) {
      return;
    }
    var dialog = document.getElementById(opener.getAttribute("data-confirm"));
    if (!dialog || typeof dialog.showModal !== "function" || dialog.open) {
      return; // no dialog support: the control leads to the confirmation page
    }
    event.preventDefault();
    open(opener, dialog);
  });

  /* A form with data-confirm-ending="<dialog id>" (the traject's status): choosing one of
   * data-ending-values, other than data-current-status, opens the dialog before saving; its
   * confirm button (form="…" name="confirm" value="yes") submits the form. Without a reason
   * the form goes to the server, which asks for it beside the field. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var dialogId = form.getAttribute && form.getAttribute("data-confirm-ending");
    if (!dialogId || (event.submitter && event.submitter.name === "confirm")) {
      return;
    }
    var status = form.elements.namedItem("status");
    var endings = (form.getAttribute("data-ending-values") || "").split(" ");
    if (!status || endings.indexOf(status.value) === -1) {
      return;
    }
    if (status.value === form.getAttribute("data-current-status")) {
      return;
    }
    var reason = form.elements.namedItem("end_reason");
    if (reason && !reason.value.trim()) {
      return;
    }
    var dialog = document.getElementById(dialogId);
    if (!dialog || typeof dialog.showModal !== "function") {
      return;
    }
    event.preventDefault();
    open(event.submitter || form, dialog);
  });
})();
/* --- /Confirmation dialogs ------------------------------------------------------------ */
