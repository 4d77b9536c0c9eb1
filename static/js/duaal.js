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
 * With data-confirm-url="<confirmation page>" the dialog is not on the page yet: the first
 * press fetches it (an htmx GET, which the page answers with the dialog alone), appends it to
 * the body and opens it. Should that fail, the control does what it does without JavaScript.
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
    var dialogId = opener.getAttribute("data-confirm");
    var dialog = document.getElementById(dialogId);
    var url = opener.getAttribute("data-confirm-url");
    if (!dialog && url && typeof HTMLDialogElement === "function" && window.htmx) {
      event.preventDefault();
      fetchAndOpen(opener, dialogId, url);
      return;
    }
    if (!dialog || typeof dialog.showModal !== "function" || dialog.open) {
      return; // no dialog support: the control leads to the confirmation page
    }
    event.preventDefault();
    open(opener, dialog);
  });

  function fallback(opener) {
    if (opener.form) {
      opener.form.submit();
    } else if (opener.href) {
      window.location.assign(opener.href);
    }
  }

  function fetchAndOpen(opener, dialogId, url) {
    if (opener.getAttribute("aria-busy") === "true") {
      return; // already on its way
    }
    opener.setAttribute("aria-busy", "true");
    window.htmx
      .ajax("GET", url, { target: document.body, swap: "beforeend" })
      .then(
        function () {
          opener.removeAttribute("aria-busy");
          var dialog = document.getElementById(dialogId);
          if (dialog && typeof dialog.showModal === "function") {
            open(opener, dialog);
          } else {
            fallback(opener); // refused or failed: the page says why
          }
        },
        function () {
          opener.removeAttribute("aria-busy");
          fallback(opener);
        }
      );
  }

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

/* --- forms: error summary, filter forms (issue 8, forms) ---------------------------------- */
(function () {
  "use strict";

  // A failed form: move focus to its error summary (this also scrolls it into view).
  function focusErrorSummary(root) {
    var summary = root.querySelector ? root.querySelector(".error-summary") : null;
    if (summary) {
      summary.focus();
    }
  }

  // A link in the error summary focuses its field and keeps the field's label in view.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".error-summary a[href^='#']") : null;
    if (!link) {
      return;
    }
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) {
      return;
    }
    event.preventDefault();
    var box = field.closest(".field, fieldset") || field;
    box.scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });

  // Filter forms (form[data-filter-form]) issue one request per distinct state: an Enter
  // while the typing delay runs, or a submit after the typed search already ran, asks for
  // the list that is already shown and is dropped.
  function formState(form) {
    return new URLSearchParams(new FormData(form)).toString();
  }

  function rememberFilters(root) {
    var forms = [];
    if (root.matches && root.matches("form[data-filter-form]")) {
      forms.push(root);
    }
    if (root.querySelectorAll) {
      forms = forms.concat(Array.prototype.slice.call(root.querySelectorAll("form[data-filter-form]")));
    }
    forms.forEach(function (form) {
      form.dataset.shownState = formState(form);
      updateFilterCount(form);
    });
  }

  function updateFilterCount(form) {
    var counter = form.querySelector("[data-filter-count]");
    if (!counter) {
      return;
    }
    var active = 0;
    form.querySelectorAll("[data-filters] select").forEach(function (select) {
      if (select.value) {
        active += 1;
      }
    });
    var number = counter.querySelector("[data-filter-count-number]");
    if (number) {
      number.textContent = String(active);
    }
    counter.hidden = active === 0;
  }

  document.addEventListener("htmx:confirm", function (event) {
    var form = event.target.closest ? event.target.closest("form[data-filter-form]") : null;
    if (!form || event.detail.verb !== "get") {
      return;
    }
    var state = formState(form);
    if (event.target !== form && !form.contains(event.target)) {
      return;
    }
    if (state === form.dataset.shownState) {
      event.preventDefault();
      return;
    }
    form.dataset.shownState = state;
  });

  // Empty filters stay out of the address (and so out of the history entry).
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.target.closest ? event.target.closest("form[data-filter-form]") : null;
    var parameters = event.detail.parameters;
    if (!form || event.detail.verb !== "get" || !parameters) {
      return;
    }
    var empty = [];
    parameters.forEach(function (value, name) {
      if (value === "") {
        empty.push(name);
      }
    });
    empty.forEach(function (name) {
      parameters.delete(name);
    });
  });

  document.addEventListener("change", function (event) {
    var form = event.target.closest ? event.target.closest("form[data-filter-form]") : null;
    if (form) {
      updateFilterCount(form);
    }
  });

  // Filters behind one button on a phone, open on wider screens.
  function openFiltersOnDesktop(root) {
    if (!window.matchMedia("(min-width: 600px)").matches || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll("details[data-filters]").forEach(function (details) {
      details.open = true;
    });
  }

  function init(root) {
    rememberFilters(root);
    openFiltersOnDesktop(root);
    focusErrorSummary(root);
  }

  init(document);
  // Content swapped in by htmx (a form re-rendered in place, a history restore).
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.elt;
    if (target && target !== document.body) {
      focusErrorSummary(target);
      rememberFilters(target);
    }
  });
  document.addEventListener("htmx:historyRestore", function () {
    init(document);
  });
})();
/* --- /forms ------------------------------------------------------------------------------- */

/* Soft skills (templates/evaluation/softskills_sheet.html): a team's "voldoet nog niet" opens
   the item's werkpunt fields, which the save then asks for. */
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches(".softskill .rating-toggle__input[value=not_yet]")) return;
  if (!input.checked) return;
  var details = input.closest(".softskill").querySelector(".softskill__new-werkpunt");
  if (details) details.open = true;
});
