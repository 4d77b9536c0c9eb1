/* The weekly check-in (templates/evaluation/checkin_week.html): when the mentor taps V or O,
   the row shows at once whether it differs from the student's own mark (data-self), as the
   server does on load. Without JavaScript the page shows it after each save. */
"use strict";

(function () {
  document.querySelectorAll(".checkin-row[data-self]").forEach(function (row) {
    var own = row.getAttribute("data-self");
    var note = row.querySelector("[data-divergence]");
    function update() {
      var checked = row.querySelector("input[type=radio]:checked");
      var differs = !!checked && checked.value !== own;
      row.classList.toggle("checkin-row--divergent", differs);
      if (note) note.hidden = !differs;
    }
    row.addEventListener("change", update);
    // "Alles bereikt" / "Zelfde als vorige week" check inputs without a change event.
    row.closest("form").addEventListener("autosave:saved", update);
    row.closest("form").addEventListener("click", function () {
      window.setTimeout(update, 0);
    });
  });
})();
