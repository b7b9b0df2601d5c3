/* Double-click protection: a form marked data-submit-once disables its submit
   buttons as it is sent, so a second tap on a slow phone network does not send
   it again (the server is idempotent anyway: one post, one submission, one
   credit). The button shows what is happening; going back re-enables it. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-submit-once]") || event.defaultPrevented) return;
    if (form.dataset.sending === "1") { event.preventDefault(); return; }
    form.dataset.sending = "1";
    // After this tick, so the pressed button's own name/value is still sent.
    setTimeout(function () {
      form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (b) {
        b.disabled = true;
        b.dataset.onceDisabled = "1";
        if (b.dataset.sendingText) { b.dataset.label = b.textContent; b.textContent = b.dataset.sendingText; }
      });
    }, 0);
  });
  // Back/forward cache: a page restored after submitting must be usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      delete form.dataset.sending;
      form.querySelectorAll("[data-once-disabled]").forEach(function (b) {
        if (b.dataset.label) b.textContent = b.dataset.label;
        b.disabled = false;
        delete b.dataset.onceDisabled;
      });
    });
  });
})();
