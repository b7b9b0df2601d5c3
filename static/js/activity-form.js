/* The activity form shows each type only its own fields: an input marked
   data-kinds="offline" (学时) or data-kinds="homework" (作业类型) is shown only
   while that type is chosen in select[name=kind]. Without JavaScript every
   field shows and the server ignores those of other types (ActivityForm). */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form[data-kind-form]"), function (form) {
    var select = form.querySelector("select[name=kind]");
    if (!select) return; // editing: the server sends only the type's own fields
    function update() {
      Array.prototype.forEach.call(form.querySelectorAll("[data-kinds]"), function (input) {
        var show = input.getAttribute("data-kinds").split(" ").indexOf(select.value) !== -1;
        var wrapper = input.closest("[id^=div_id_]") || input.parentElement;
        wrapper.hidden = !show;
        input.disabled = !show; // a hidden field is not sent at all
      });
    }
    select.addEventListener("change", update);
    update();
  });
})();
