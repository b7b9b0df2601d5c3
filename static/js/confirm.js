/* Asks before a destructive action, instead of inline onclick/onsubmit handlers
   (the Content-Security-Policy allows no inline script): a form or a button
   marked data-confirm="question" goes ahead only when the person says yes.
   Capture phase, so a refusal stops submit-once.js from disabling the buttons. */
(function () {
  "use strict";
  function ask(el, event) {
    if (!window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }
  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("button[data-confirm], a[data-confirm], input[data-confirm]") : null;
    if (el) ask(el, event);
  }, true);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-confirm]")) ask(form, event);
  }, true);
})();
