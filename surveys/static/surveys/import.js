// Polls the import's progress (no framework): updates the bar until the import ends.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (p) {
        document.getElementById("progress-bar").value = p.percent;
        document.getElementById("progress-percent").textContent = p.percent + " %";
        document.getElementById("progress-state").textContent = p.state_label;
        if (p.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  if (document.getElementById("report-link").hidden) { window.setTimeout(poll, 500); }
})();
