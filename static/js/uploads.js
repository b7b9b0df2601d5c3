/* Checks a chosen file's type and size in the browser, before a long upload
   that the server would refuse anyway (the server checks again, by content).
   Inputs opt in with data-max-bytes (and data-video-max-bytes, accept). */
(function () {
  "use strict";
  var VIDEO = ["mp4", "m4v", "mov", "webm"];

  // Said the way the server says it (accounts/sizes.py): the rule's unit,
  // rounded up to a tenth (one byte over 2048 KB reads 2048.1 KB, never 2048.0),
  // then the exact bytes, so one byte over a limit is visible.
  var UNITS = { KB: 1024, MB: 1048576 };
  function sizeText(bytes, unit) {
    var tenths = Math.ceil((bytes * 10) / UNITS[unit]);
    return Math.floor(tenths / 10) + "." + (tenths % 10) + " " + unit + "（" + bytes.toLocaleString("en-US") + " 字节）";
  }
  function limitText(bytes, unit) { return Math.floor(bytes / UNITS[unit]) + " " + unit; }

  function problem(input, file) {
    var name = file.name, dot = name.lastIndexOf(".");
    var ext = dot >= 0 ? name.slice(dot + 1).toLowerCase() : "";
    var accept = (input.getAttribute("accept") || "").split(",").map(function (s) {
      return s.trim().replace(/^\./, "").toLowerCase();
    }).filter(Boolean);
    if (accept.length && accept.indexOf(ext) < 0) {
      return "“" + name + "”的格式不允许上传，允许的格式：" + accept.join("、") + "。";
    }
    var limit = Number(input.dataset.maxBytes);
    if (VIDEO.indexOf(ext) >= 0 && input.dataset.videoMaxBytes) limit = Number(input.dataset.videoMaxBytes);
    if (limit && file.size > limit) {
      var unit = input.dataset.sizeUnit === "KB" ? "KB" : "MB";
      return "“" + name + "”有 " + sizeText(file.size, unit) + "，超过了 " + limitText(limit, unit) + " 的上限，请压缩后再上传。";
    }
    return "";
  }

  function feedback(input) {
    var el = input.parentNode.querySelector(".upload-feedback");
    if (!el) {
      el = document.createElement("div");
      el.className = "upload-feedback invalid-feedback d-block";
      el.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", el);
    }
    return el;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
    var messages = Array.prototype.map.call(input.files, function (f) { return problem(input, f); })
      .filter(Boolean);
    var el = feedback(input);
    el.textContent = messages.join(" ");
    input.classList.toggle("is-invalid", messages.length > 0);
    input.setCustomValidity(messages.length ? messages[0] : "");
    if (messages.length) input.value = "";
  });
})();
