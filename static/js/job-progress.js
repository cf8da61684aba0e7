// Polls a job's status and moves its progress bar; no inline script (the CSP forbids it).
// Opt-in: `data-reload-when-done` on #job reloads the page once when the job ends (done or failed), so a page
// that shows more than the bar (a message's state, figures, recipients) shows the final ones. Only when the
// job was still queued/running as the page was drawn (`data-state`, else the first answer): a page drawn after
// the end never reloads, so it cannot loop.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var bar = box.querySelector(".job-bar");
  var label = box.querySelector(".job-label");
  var error = box.querySelector(".job-error");
  var link = box.querySelector(".job-result");
  var progress = box.querySelector(".progress");
  var reloadWhenDone = box.hasAttribute("data-reload-when-done");
  var wasRunning = box.dataset.state ? running(box.dataset.state) : null;

  function running(state) { return state === "queued" || state === "running"; }

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
    return running(status.state);
  }

  function ended() {
    if (reloadWhenDone && wasRunning) {
      wasRunning = false;  // once
      window.location.reload();
    }
  }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (show(status)) {
          if (wasRunning === null) { wasRunning = true; }
          window.setTimeout(poll, 700);
        } else {
          ended();
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });  // venue Wi-Fi: keep trying
  }

  bar.style.width = (bar.dataset.percent || "0") + "%";
  poll();
}());
