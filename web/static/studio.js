// The studio's drop zone: files dropped on the "Check files against this draft" form are put in
// its file input and sent. Without JavaScript the same form works with the file picker.
(function () {
  "use strict";
  document.querySelectorAll("form[data-drop]").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    if (!input) { return; }
    ["dragenter", "dragover"].forEach(function (name) {
      form.addEventListener(name, function (event) {
        event.preventDefault();
        form.classList.add("dropping");
      });
    });
    form.addEventListener("dragleave", function () { form.classList.remove("dropping"); });
    form.addEventListener("drop", function (event) {
      event.preventDefault();
      form.classList.remove("dropping");
      if (!event.dataTransfer || !event.dataTransfer.files.length) { return; }
      input.files = event.dataTransfer.files;
      form.requestSubmit ? form.requestSubmit() : form.submit();
    });
  });
})();
