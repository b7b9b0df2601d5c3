// An htmx request the server refused (403, 404, 400, a server error) or that
// never arrived changes nothing on the page by itself: say so beside the
// control, in words, so a tap is never silently lost (outside test 6).
(function () {
  "use strict";

  var WORDS = {
    400: "操作未完成：提交的内容无法处理，请刷新页面后重试。",
    403: "操作未完成：你已无权进行此操作（可能已被移出教研组、教研组已归档，或页面已过期），请刷新页面。",
    404: "操作未完成：内容已不存在或你无权查看，请刷新页面。",
  };

  function say(elt, text) {
    if (!elt || !elt.parentNode) return;
    var next = elt.nextElementSibling;
    if (next && next.classList.contains("htmx-error")) next.remove();
    var box = document.createElement("div");
    box.className = "alert alert-warning small py-1 px-2 mt-1 mb-0 htmx-error";
    box.setAttribute("role", "alert");
    box.textContent = text;
    elt.insertAdjacentElement("afterend", box);
  }

  document.addEventListener("htmx:responseError", function (e) {
    var status = e.detail.xhr ? e.detail.xhr.status : 0;
    say(e.detail.elt, WORDS[status] || "操作未完成：服务器暂时出错，请稍后重试。");
  });
  document.addEventListener("htmx:sendError", function (e) {
    say(e.detail.elt, "操作未完成：网络连接中断，请检查网络后重试。");
  });
})();
