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
  var last = { code: "", at: 0 };

  button.hidden = false;

  function stop() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    video.hidden = true;
    button.textContent = button.dataset.start;
  }

  function frame() {
    if (!stream) { return; }
    if (video.readyState >= video.HAVE_ENOUGH_DATA) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      var now = Date.now();
      // The same ticket stays in view for a while: submit it once, not thirty times a second.
      if (found && found.data && (found.data !== last.code || now - last.at > 4000)) {
        last = { code: found.data, at: now };
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
