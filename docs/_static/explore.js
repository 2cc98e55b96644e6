/* Size each interactive chart's frame on the Explore page to its content. */
"use strict";
(function () {
  function fit(frame) {
    try {
      var doc = frame.contentDocument;
      if (!doc || !doc.documentElement) {
        return;
      }
      var height = Math.max(doc.documentElement.scrollHeight, doc.body ? doc.body.scrollHeight : 0);
      if (height > 0) {
        frame.style.height = height + 16 + "px";
      }
    } catch (err) {
      /* Opened from disk the frame is another origin: keep the CSS height. */
    }
  }
  function watch(frame) {
    frame.addEventListener("load", function () {
      fit(frame);
      setTimeout(function () { fit(frame); }, 500);
    });
    fit(frame);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("iframe.explore-frame").forEach(watch);
  });
})();
