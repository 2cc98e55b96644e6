/* Reader's site: say when a notebook table is wider than the text column, and let every notebook
   figure open at full size (its text is small once the figure is scaled to the column). */
"use strict";
(function () {
  function markWideTables() {
    document.querySelectorAll("div.cell_output .output.text_html").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 2 && !box.classList.contains("scrolls-sideways")) {
        box.classList.add("scrolls-sideways");
        var note = document.createElement("p");
        note.className = "wide-table-note";
        note.textContent = "This table is wider than the page: scroll it sideways to see every column.";
        box.parentNode.insertBefore(note, box);
      }
    });
  }
  function linkFigures() {
    document.querySelectorAll("div.cell_output img").forEach(function (img) {
      if (img.closest("a")) {
        return;
      }
      var link = document.createElement("a");
      link.href = img.getAttribute("src");
      link.className = "full-size-figure";
      link.title = "Open the figure at full size";
      img.parentNode.insertBefore(link, img);
      link.appendChild(img);
      var note = document.createElement("p");
      note.className = "figure-zoom-note";
      note.textContent = "Click the figure to open it at full size.";
      link.parentNode.insertBefore(note, link.nextSibling);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    linkFigures();
    markWideTables();
  });
  window.addEventListener("load", markWideTables);
})();
