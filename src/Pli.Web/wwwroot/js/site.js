// Small progressive enhancements only: every page works without JavaScript.
(function () {
  "use strict";
  // Move focus to the error summary so that a screen reader announces it (RGAA 11.10).
  var errors = document.getElementById("erreurs");
  if (errors) { errors.focus(); }
  // Ask for confirmation on buttons that say so (data-confirm), e.g. publishing a consultation.
  document.addEventListener("click", function (e) {
    var target = e.target.closest ? e.target.closest("[data-confirm]") : null;
    if (target && !window.confirm(target.getAttribute("data-confirm"))) { e.preventDefault(); }
  });
})();
