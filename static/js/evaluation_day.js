/* The student's day (templates/evaluation/day_card.html): "Alles bereikt" marks every
   criterion V in the form (each change saves through the autosave contract when that script
   is there); without JavaScript the button posts the form with shortcut=all_reached. */
(function () {
  "use strict";
  if (window.duaalDayWired) return;
  window.duaalDayWired = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-vo-all]");
    if (!button || !button.form) return;
    event.preventDefault();
    var inputs = button.form.querySelectorAll('.vo__input[value="V"]');
    Array.prototype.forEach.call(inputs, function (input) {
      if (input.checked) return;
      input.checked = true;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
  });
})();
