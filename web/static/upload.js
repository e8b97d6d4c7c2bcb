// Progressive enhancement only: every form works without this file.
// It moves focus to an error summary, shows upload progress for large files,
// and stops a second click from sending the same files twice.
(function () {
  "use strict";
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }
  // "Checking your files": ask where the check stands, say it, and show the result once done.
  // Without JavaScript the page refreshes itself instead.
  var progress = document.querySelector("[data-progress-url]");
  if (progress) {
    var ask = function () {
      var request = new XMLHttpRequest();
      request.open("GET", progress.dataset.progressUrl);
      request.addEventListener("load", function () {
        var state = request.status === 200 ? JSON.parse(request.responseText) : null;
        if (!state || (state.state !== "queued" && state.state !== "running")) { window.location.reload(); return; }
        var text = state.state === "running" ? progress.dataset.running
          : state.ahead > 0 ? progress.dataset.ahead.replace("{n}", state.ahead) : progress.dataset.queued;
        if (progress.textContent.trim() !== text) { progress.textContent = text; }
        window.setTimeout(ask, 1500);
      });
      request.addEventListener("error", function () { window.setTimeout(ask, 3000); });
      request.send();
    };
    window.setTimeout(ask, 1000);
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-progress]"), function (form) {
    form.addEventListener("submit", function (event) {
      var button = form.querySelector("[data-once]");
      var status = form.querySelector(".progress");
      if (form.dataset.sent) { event.preventDefault(); return; }
      var total = 0;
      Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
        Array.prototype.forEach.call(input.files || [], function (file) { total += file.size; });
      });
      if (form.dataset.maxBytes && total > Number(form.dataset.maxBytes)) {
        // Say so before sending, so nothing typed in the form is lost to a "too big" page.
        event.preventDefault();
        var message = form.querySelector(".size-error") || document.createElement("p");
        message.className = "field-error size-error";
        message.setAttribute("role", "alert");
        message.textContent = form.dataset.tooBig;
        form.insertBefore(message, form.firstChild);
        return;
      }
      form.dataset.sent = "1";
      if (button) { button.disabled = true; }
      if (!window.XMLHttpRequest || !window.FormData || !window.DOMParser || !status) { return; }
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      status.hidden = false;
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { status.textContent = Math.round(e.loaded / e.total * 100) + "%"; }
      });
      request.addEventListener("load", function () {
        if (request.status === 200 && request.responseURL && request.responseURL !== form.action) {
          window.location.assign(request.responseURL);
          return;
        }
        var page = new DOMParser().parseFromString(request.responseText, "text/html");
        document.replaceChild(document.importNode(page.documentElement, true), document.documentElement);
        var errors = document.querySelector("[data-autofocus]");
        if (errors) { errors.focus(); }
      });
      request.addEventListener("error", function () { delete form.dataset.sent; form.submit(); });
      request.send(new FormData(form));
    });
  });
})();
