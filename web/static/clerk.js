// Progressive enhancement only: every button and box these keys reach works without this file.
// A single key presses the button or link marked data-shortcut="<key>", or moves to the box
// so marked. It never fires while someone types in a box, or with Ctrl, Alt or Cmd held, so
// typing and the browser's own shortcuts are left alone. The page lists the keys it offers.
(function () {
  "use strict";
  var typing = function (element) {
    if (!element || element === document.body) { return false; }
    if (element.isContentEditable) { return true; }
    var name = element.tagName;
    if (name === "TEXTAREA" || name === "SELECT") { return true; }
    if (name !== "INPUT") { return false; }
    var kind = (element.getAttribute("type") || "text").toLowerCase();
    return ["button", "submit", "reset", "checkbox", "radio", "file", "image"].indexOf(kind) === -1;
  };
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) { return; }
    if (typing(event.target)) { return; }
    var key = event.key;
    if (!key || key.length !== 1) { return; }
    var target = null;
    Array.prototype.some.call(document.querySelectorAll("[data-shortcut]"), function (element) {
      if (element.getAttribute("data-shortcut") === key && !element.disabled) { target = element; }
      return target !== null;
    });
    if (!target) { return; }
    event.preventDefault();
    var name = target.tagName;
    if (name === "BUTTON" || name === "A") {
      target.click();
    } else {
      target.focus();
      if (target.scrollIntoView) { target.scrollIntoView({block: "center"}); }
    }
  });
}());
