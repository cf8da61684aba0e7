// The compose page of an organizer's message: inserts a placeholder where the cursor is in the message,
// shows the time field only for "later" (and names the button "Send" or "Schedule"), and the registrant
// filters only for registrants. The page works without it; no inline script (the CSP forbids it).
(function () {
  "use strict";
  var form = document.querySelector("form.message-compose");
  if (!form) { return; }
  var body = form.querySelector("textarea[name=body]");
  var sendAt = form.querySelector(".send-at");
  var sendButton = form.querySelector(".send-button");
  var filters = form.querySelector(".registrant-filters");

  form.querySelectorAll(".placeholder-insert").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = button.dataset.insert;
      var start = body.selectionStart || 0;
      var end = body.selectionEnd || 0;
      body.value = body.value.slice(0, start) + text + body.value.slice(end);
      body.focus();
      body.selectionStart = body.selectionEnd = start + text.length;
    });
  });

  function checked(name) {
    var input = form.querySelector("input[name=" + name + "]:checked");
    return input ? input.value : "";
  }

  function update() {
    var later = checked("when") === "later";
    if (sendAt) { sendAt.hidden = !later; }
    if (sendButton) { sendButton.textContent = later ? sendButton.dataset.labelLater : sendButton.dataset.labelNow; }
    if (filters) { filters.hidden = checked("kind") !== "registrants"; }
  }

  form.addEventListener("change", update);
  update();
}());
