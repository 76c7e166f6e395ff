// The report's one inline script: pages and searches the alert queue, and shows the sections
// of the alerts on the current page (plus the one a link points at). It reads only the page's
// own attributes and text and writes only `hidden` flags, row order and a status line, so no
// value from the data is ever parsed as code. With scripts off, every row and section shows.

enum ReportScript {
    /// `?q=text` opens the queue filtered by `text`; `?page=N` (1-based, or `last`) opens
    /// page N; `#alert-P` shows alert P's section.
    static let source = """
    (function () {
      "use strict";
      var table = document.getElementById("alert-queue");
      if (!table) { return; }
      var size = parseInt(table.getAttribute("data-page-size"), 10) || 25;
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var articles = {};
      Array.prototype.forEach.call(document.querySelectorAll("article.alert-detail"), function (a) {
        articles[a.getAttribute("data-position")] = a;
      });
      var box = document.getElementById("alert-search");
      var status = document.getElementById("page-status");
      var note = document.getElementById("details-note");
      var page = 0, hits = rows, pinned = null, reordered = false;

      function filter() {
        var q = box.value.trim().toLowerCase();
        if (reordered) { rows.forEach(function (r) { body.appendChild(r); }); reordered = false; }
        if (!q) { hits = rows; return; }
        var exact = [], partial = [];
        rows.forEach(function (r) {
          if ((r.getAttribute("data-id") || "").toLowerCase() === q) { exact.push(r); }
          else if (r.textContent.toLowerCase().indexOf(q) >= 0) { partial.push(r); }
        });
        if (exact.length) {
          for (var i = exact.length - 1; i >= 0; i--) { body.insertBefore(exact[i], body.firstChild); }
          reordered = true;
        }
        hits = exact.concat(partial);
      }

      function render() {
        var pages = Math.max(1, Math.ceil(hits.length / size));
        page = Math.min(Math.max(page, 0), pages - 1);
        var visible = {};
        rows.forEach(function (r) { r.hidden = true; });
        hits.slice(page * size, page * size + size).forEach(function (r) {
          r.hidden = false;
          visible[r.getAttribute("data-position")] = true;
        });
        Object.keys(articles).forEach(function (p) { articles[p].hidden = !(visible[p] || p === pinned); });
        var first = hits.length ? page * size + 1 : 0, last = Math.min(hits.length, page * size + size);
        status.textContent = !hits.length ? "no alert matches “" + box.value.trim() + "” among " + rows.length :
          (box.value.trim() ? hits.length + " matching of " + rows.length + " alerts" : rows.length + " alerts") +
          " · showing " + first + "–" + last + " · page " + (page + 1) + " of " + pages;
        document.getElementById("page-prev").disabled = page === 0;
        document.getElementById("page-next").disabled = page >= pages - 1;
        if (note) { note.textContent = "Showing the sections of the alerts on the current page of the queue; follow a link to open any other."; }
      }

      function openTarget() {
        var m = /^#alert-(\\d+)$/.exec(location.hash);
        if (!m || !articles[m[1]]) {
          // Hiding sections moved the page under any other target: scroll to it again.
          var other = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
          if (other) { other.scrollIntoView(); }
          return;
        }
        pinned = m[1];
        if (hits.indexOf(rows[+m[1] - 1]) < 0) { box.value = ""; filter(); }
        page = Math.floor(hits.indexOf(rows[+m[1] - 1]) / size);
        render();
        articles[m[1]].scrollIntoView();
      }

      box.addEventListener("input", function () { page = 0; pinned = null; filter(); render(); });
      document.getElementById("page-prev").addEventListener("click", function () { page -= 1; render(); });
      document.getElementById("page-next").addEventListener("click", function () { page += 1; render(); });
      window.addEventListener("hashchange", openTarget);

      var params = new URLSearchParams(location.search);
      if (params.get("q")) { box.value = params.get("q"); }
      filter();
      var wanted = params.get("page");
      if (wanted === "last") { page = Math.ceil(hits.length / size) - 1; }
      else if (wanted) { page = (parseInt(wanted, 10) || 1) - 1; }
      render();
      openTarget();
    })();
    """
}
