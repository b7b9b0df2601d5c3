/* The school plan form (两案): its tables' rows are added and removed in the page. */
(function () {
  "use strict";
  // Rows of the plan's tables are added and removed in the page: a new row is the
  // formset's empty form with __prefix__ numbered; a removed row is ticked DELETE and hidden.
  document.querySelectorAll(".rows-formset").forEach(function (box) {
    var prefix = box.dataset.prefix;
    var total = box.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    box.querySelector(".row-add").addEventListener("click", function () {
      var html = box.querySelector(".row-template").innerHTML.replace(/__prefix__/g, total.value);
      box.querySelector("tbody.rows").insertAdjacentHTML("beforeend", html);
      total.value = parseInt(total.value, 10) + 1;
    });
    box.addEventListener("click", function (event) {
      if (!event.target.classList.contains("row-remove")) return;
      var row = event.target.closest("tr");
      row.querySelector("input[type=checkbox][name$='-DELETE']").checked = true;
      row.style.display = "none";
    });
  });
})();
