/* 听课评课: comments pinned to moments of the lesson video. "在此处评论" pauses
   the video and writes its current time into the comment form (mm:ss);
   a comment's time seeks the video there; ?t=750 opens the page at 12:30. */
(function () {
  "use strict";
  var video = document.querySelector("video[data-moments-video]");

  function two(n) { return (n < 10 ? "0" : "") + n; }
  function label(seconds) {
    var s = Math.floor(seconds), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return h ? h + ":" + two(m) + ":" + two(s % 60) : two(m) + ":" + two(s % 60);
  }
  function seek(second) {
    if (!video) return;
    var go = function () { video.currentTime = second; };
    if (video.readyState >= 1) go(); else video.addEventListener("loadedmetadata", go, { once: true });
  }

  var here = document.getElementById("moment-here");
  if (here && video) {
    here.addEventListener("click", function () {
      video.pause();
      document.getElementById("id_at").value = label(video.currentTime);
      var body = document.getElementById("id_body");
      if (body) body.focus();
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".moment-seek") : null;
    if (!button || !video) return;
    seek(parseInt(button.getAttribute("data-second"), 10));
    video.scrollIntoView({ block: "center" });
  });
  if (video && video.hasAttribute("data-start-at")) {
    seek(parseInt(video.getAttribute("data-start-at"), 10));
  }
})();
