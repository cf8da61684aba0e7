// Polls a job's status and moves its progress bar; no inline script (the CSP forbids it).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var bar = box.querySelector(".job-bar");
  var label = box.querySelector(".job-label");
  var error = box.querySelector(".job-error");
  var link = box.querySelector(".job-result");
  var progress = box.querySelector(".progress");

  function text(state, done, total) {
    return (box.dataset["label" + state.charAt(0).toUpperCase() + state.slice(1)] || state)
      .replace("{done}", done).replace("{total}", total);
  }

  function show(status) {
    var percent = status.total ? Math.floor(100 * status.done / status.total) : 0;
    if (status.state === "done") { percent = 100; }
    bar.style.width = percent + "%";
    progress.setAttribute("aria-valuenow", String(percent));
    label.textContent = text(status.state, status.done, status.total);
    if (status.state === "done" || status.state === "failed") {
      bar.classList.remove("progress-bar-animated");
    }
    if (status.state === "done" && status.result_url) {
      link.href = status.result_url;
      link.hidden = false;
    }
    if (status.state === "failed") {
      bar.classList.add("bg-danger");
      error.textContent = status.error || "";
      error.hidden = false;
    }
    return status.state === "queued" || status.state === "running";
  }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (status) { if (show(status)) { window.setTimeout(poll, 700); } })
      .catch(function () { window.setTimeout(poll, 3000); });  // venue Wi-Fi: keep trying
  }

  bar.style.width = (bar.dataset.percent || "0") + "%";
  poll();
}());
