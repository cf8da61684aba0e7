// Scans tickets with the phone's camera: jsQR (from npm, served from static/vendor) reads each
// frame; a code found fills the scan field and submits it like a USB scanner would.
(function () {
  "use strict";
  var form = document.getElementById("scan-form");
  var button = document.getElementById("camera-toggle");
  if (!form || !button || !window.jsQR || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;  // no camera or no decoder: the field and a USB scanner still work
  }
  var input = form.querySelector("input[name=ticket_code]");
  var video = document.getElementById("camera-view");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  // When each code was last in view. A ticket held up for a while, or two shown in turn, is submitted once:
  // a second post would replace the green card with "already entered" while the person walks in.
  // A Map, not an object: a QR code reading "__proto__" or "constructor" is a code like any other.
  var seen = new Map();
  var AWAY_MS = 3000;  // out of view this long, the same code counts as a new scan

  button.hidden = false;

  // While the camera runs, the page (checkin-common.js) still focuses the field after each scan (a USB
  // scanner types there): with inputmode "none" that no longer opens the phone's keyboard over the picture.
  var keyboard = { kept: false, mode: null };

  function hideKeyboard() {
    if (!keyboard.kept) { keyboard = { kept: true, mode: input.getAttribute("inputmode") }; }
    input.setAttribute("inputmode", "none");
    if (document.activeElement === input) { input.blur(); input.focus(); }  // closes a keyboard already open
  }

  function restoreKeyboard() {
    if (!keyboard.kept) { return; }
    if (keyboard.mode === null) { input.removeAttribute("inputmode"); } else { input.setAttribute("inputmode", keyboard.mode); }
    keyboard = { kept: false, mode: null };
  }

  function stop() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    video.hidden = true;
    button.textContent = button.dataset.start;
    restoreKeyboard();
  }

  // Whether `code` was out of view long enough to be a new scan; remembers that it is in view now.
  function isNew(code) {
    var now = Date.now();
    var fresh = !seen.has(code) || now - seen.get(code) > AWAY_MS;
    if (fresh) {
      seen.forEach(function (at, old) { if (now - at > AWAY_MS) { seen.delete(old); } });
    }
    seen.set(code, now);
    return fresh;
  }

  function frame() {
    if (!stream) { return; }
    if (video.readyState >= video.HAVE_ENOUGH_DATA) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (found && found.data && isNew(found.data)) {
        input.value = found.data.trim();
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
        if (navigator.vibrate) { navigator.vibrate(60); }
      }
    }
    window.requestAnimationFrame(frame);
  }

  button.addEventListener("click", function () {
    if (stream) { stop(); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        hideKeyboard();
        video.srcObject = media;
        video.hidden = false;
        button.textContent = button.dataset.stop;
        return video.play();
      })
      .then(function () { window.requestAnimationFrame(frame); })
      .catch(function () {
        stop();
        button.textContent = button.dataset.denied;
      });
  });
}());
