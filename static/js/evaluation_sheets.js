/* The student's day and the session sheet (templates/evaluation/day_card.html,
   session_detail.html): "Bewaren" hands the sheet in with a normal POST. When autosave
   (static/js/autosave.js) is still saving earlier taps, wait until it is done, so the POST
   carries the new version instead of answering "saved in between" with the person's own
   save. autosave.js keeps a pending save in localStorage until the server has it; after ten
   seconds the POST goes anyway (the server then explains what happened). */
(function () {
  "use strict";
  if (window.duaalSheetSubmitWired) return;
  window.duaalSheetSubmitWired = true;
  var WAIT = 100;
  var GIVE_UP = 10000;

  function busy(form) {
    if (form.getAttribute("data-autosave-state") === "pending") return true;
    try {
      var key = "duaal-autosave:" + (form.getAttribute("action") || window.location.pathname);
      return window.localStorage.getItem(key) !== null;
    } catch (error) {
      return false;
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-autosave]")) return;
    if (form.getAttribute("data-submit-waited") === "1" || !busy(form)) return;
    event.preventDefault();
    var submitter = event.submitter || null;
    var started = Date.now();
    (function check() {
      if (busy(form) && Date.now() - started < GIVE_UP) {
        window.setTimeout(check, WAIT);
        return;
      }
      form.setAttribute("data-submit-waited", "1");
      if (submitter) form.requestSubmit(submitter);
      else form.requestSubmit();
    })();
  });
})();
