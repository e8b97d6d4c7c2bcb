// Progressive enhancement only: every form works without this file.
// It moves focus to an error summary, makes its links move focus to the input they name,
// checks file sizes, counts and types before sending (the server checks them again),
// says in words what is happening while files are sent and checked, and stops a second
// click from sending the same files twice.
(function () {
  "use strict";
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  var show = function (summary) {
    summary.scrollIntoView({ block: "start" });
    summary.focus({ preventScroll: true });
  };

  var summary = document.querySelector("[data-autofocus]");
  if (summary) { show(summary); }

  // A link in an error summary (or in the list of refused files) moves focus to what it names,
  // and scrolls its label into view, rather than leaving focus on the page.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".error-summary a[href^='#'], .refused a[href^='#'], .task-summary a[href^='#']") : null;
    if (!link) { return; }
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) { return; }
    event.preventDefault();
    var focusable = /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName);
    if (!focusable && !target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    (target.closest(".field") || target).scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
    if (window.history && window.history.replaceState) { window.history.replaceState(null, "", "#" + target.id); }
  });

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
          : state.ahead === 1 ? progress.dataset.aheadOne
          : state.ahead > 1 ? progress.dataset.ahead.replace("{n}", state.ahead) : progress.dataset.queued;
        if (progress.textContent.trim() !== text) { progress.textContent = text; }
        window.setTimeout(ask, 1500);
      });
      request.addEventListener("error", function () { window.setTimeout(ask, 3000); });
      request.send();
    };
    window.setTimeout(ask, 1000);
  }

  var ACCEPTED = /\.(pdf|jpe?g|png|heic|heif)$/i;

  // What the browser can tell before sending: each problem with the input it belongs to.
  var problems = function (form) {
    var data = form.dataset, found = [], total = 0, count = 0;
    each(form.querySelectorAll("input[type=file]"), function (input) {
      each(input.files || [], function (file) {
        count += 1;
        total += file.size;
        if (data.wrongType && !ACCEPTED.test(file.name)) {
          found.push([input, data.wrongType.replace("{name}", file.name)]);
        } else if (data.maxFileBytes && file.size > Number(data.maxFileBytes)) {
          found.push([input, data.fileTooBig.replace("{name}", file.name)]);
        }
      });
    });
    var first = form.querySelector("input[type=file]");
    if (data.maxFiles && count > Number(data.maxFiles)) { found.push([first, data.tooMany]); }
    if (data.maxBytes && total > Number(data.maxBytes)) { found.push([first, data.tooBig]); }
    return found;
  };

  var summarise = function (form, found) {
    each(form.querySelectorAll(".size-error"), function (old) { old.parentNode.removeChild(old); });
    var box = document.createElement("div");
    box.className = "error-summary size-error";
    box.setAttribute("role", "alert");
    box.setAttribute("tabindex", "-1");
    var title = document.createElement("h2");
    title.textContent = form.dataset.problem;
    var list = document.createElement("ul");
    found.forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + entry[0].id;
      link.textContent = entry[1];
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(title);
    box.appendChild(list);
    form.insertBefore(box, form.firstChild);
    show(box);
  };

  var counted = function (form) {
    var data = form.dataset, n = { form: 0, document: 0, any: 0 };
    each(form.querySelectorAll("input[type=file]"), function (input) {
      n[input.dataset.kind || "any"] = (n[input.dataset.kind || "any"] || 0) + (input.files ? input.files.length : 0);
    });
    var parts = [];
    if (n.form) { parts.push(n.form === 1 ? data.oneForm : data.forms.replace("{n}", n.form)); }
    if (n.document) { parts.push(n.document === 1 ? data.oneDocument : data.documents.replace("{n}", n.document)); }
    if (n.any) { parts.push(n.any === 1 ? data.oneUnsorted : data.unsorted.replace("{n}", n.any)); }
    if (parts.length < 2) { return parts[0] || ""; }
    return data.and.replace("{some}", parts.slice(0, -1).join(", ")).replace("{last}", parts[parts.length - 1]);
  };

  each(document.querySelectorAll("form[data-progress]"), function (form) {
    form.addEventListener("submit", function (event) {
      var button = form.querySelector("[data-once]");
      var status = form.querySelector(".progress");
      if (form.dataset.sent) { event.preventDefault(); return; }
      var found = problems(form);
      if (found.length) {
        // Say so before sending, so nothing typed in the form is lost to a "too big" page.
        event.preventDefault();
        summarise(form, found);
        return;
      }
      form.dataset.sent = "1";
      if (button) { button.disabled = true; }
      var checking = form.dataset.checking.replace("{what}", counted(form));
      if (status) { status.hidden = false; status.textContent = form.dataset.sending; }
      if (!window.XMLHttpRequest || !window.FormData || !window.DOMParser || !status) { return; }
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable && e.loaded < e.total) {
          status.textContent = form.dataset.sending + " " + Math.round(e.loaded / e.total * 100) + "%";
        }
      });
      request.upload.addEventListener("load", function () { status.textContent = checking; });
      request.addEventListener("load", function () {
        if (request.status === 200 && request.responseURL && request.responseURL !== form.action) {
          window.location.assign(request.responseURL);
          return;
        }
        var page = new DOMParser().parseFromString(request.responseText, "text/html");
        document.replaceChild(document.importNode(page.documentElement, true), document.documentElement);
        var errors = document.querySelector("[data-autofocus]");
        if (errors) { show(errors); }
      });
      request.addEventListener("error", function () { delete form.dataset.sent; form.submit(); });
      request.send(new FormData(form));
    });
  });
})();
