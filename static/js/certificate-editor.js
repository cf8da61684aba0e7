// The certificate template editor: the preview follows the typing (a pause of a second), in the
// frame beside the form, by pressing the form's own Preview button (no inline script: CSP).
(function () {
  "use strict";
  var form = document.getElementById("template-form");
  var button = document.getElementById("preview-button");
  if (!form || !button) { return; }
  var timer = null;
  function refresh() {
    if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
  }
  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 1000);
  });
  refresh();
})();
