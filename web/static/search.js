// Progressive enhancement only: without this file the search form asks the server.
// As the person types, it asks the API for the services the words find (the same search as the
// server's, so both ways end on the same list), hides the others, and says in the status line,
// which screen readers read out politely, how many services match.
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-search]");
  if (!form || !window.fetch) { return; }
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("search-status");
  var items = document.querySelectorAll("#services [data-service]");
  var lang = document.documentElement.lang === "es" ? "es" : "en";
  var timer = null;
  var asked = 0;

  var say = function (query, count) {
    if (!query) { status.textContent = ""; return; }
    var words = count === 0 ? form.dataset.none : count === 1 ? form.dataset.one : form.dataset.many;
    status.textContent = words.replace("{n}", String(count)).replace("{query}", query);
  };

  var show = function (query, ids) {
    var count = 0;
    Array.prototype.forEach.call(items, function (item) {
      var found = ids === null || ids.indexOf(item.dataset.service) !== -1;
      item.hidden = !found;
      if (found) { count += 1; }
    });
    say(query, count);
    if (window.history && window.history.replaceState) {
      var url = form.getAttribute("action") + (query ? "?q=" + encodeURIComponent(query) : "");
      window.history.replaceState(null, "", url);
    }
  };

  // Resolves to true once the list shows the answer, false when the answer never came.
  var run = function () {
    var query = input.value.trim();
    var mine = ++asked;
    if (!query) { show("", null); return Promise.resolve(true); }
    var url = form.dataset.liveSearch + "?lang=" + lang + "&q=" + encodeURIComponent(query);
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (body) {
        if (mine === asked) {
          show(query, body.services.map(function (service) { return service.id; }));
        }
        return true;
      })
      .catch(function () { return false; });
  };

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 250);
  });

  // Enter or the button: search now and stay on the page; if the API cannot answer, the form
  // goes to the server as it would without this script.
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    run().then(function (done) { if (!done) { form.submit(); } });
  });
}());
