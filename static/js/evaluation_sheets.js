/* The student's day and the session sheet (templates/evaluation/day_card.html,
   session_detail.html): "Bewaren" hands the sheet in with a normal POST. When autosave
   (static/js/autosave.js) is still saving the last tap, wait for it, so the POST carries the
   new version instead of answering "someone saved in between" with the person's own save. */
(function () {
  "use strict";
  if (window.duaalSheetSubmitWired) return;
  window.duaalSheetSubmitWired = true;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-autosave]")) return;
    if (form.getAttribute("data-autosave-state") !== "pending") return;
    event.preventDefault();
    var submitter = event.submitter || null;
    form.addEventListener(
      "autosave:saved",
      function () {
        if (submitter) form.requestSubmit(submitter);
        else form.requestSubmit();
      },
      { once: true }
    );
  });
})();
