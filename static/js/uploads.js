/* Checks a chosen file's type and size in the browser, before a long upload
   that the server would refuse anyway (the server checks again, by content).
   Inputs opt in with data-max-bytes (and data-video-max-bytes, accept). */
(function () {
  "use strict";
  var VIDEO = ["mp4", "m4v", "mov", "webm"];

  function mb(bytes) { return (bytes / 1048576).toFixed(bytes < 10485760 ? 1 : 0) + " MB"; }
  // Limits written in KB (提升总结: 2048 KB) are shown in KB, precisely.
  function kb(bytes) {
    var text = (bytes / 1024).toFixed(1) + " KB";
    // One byte over 2048 KB still reads 2048.0 KB: give the bytes then.
    return Number((bytes / 1024).toFixed(1)) * 1024 === bytes ? text : text + "（" + bytes + " 字节）";
  }

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
      var size = input.dataset.sizeUnit === "KB" ? kb : mb;
      var max = input.dataset.sizeUnit === "KB" ? (limit / 1024) + " KB" : mb(limit);
      return "“" + name + "”有 " + size(file.size) + "，超过了 " + max + " 的上限，请压缩后再上传。";
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
