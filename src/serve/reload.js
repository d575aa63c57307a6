// kroniek serve: reloads the page after every build, keeping its scroll position.
// Injected by the preview server only; never part of a built site.
(function () {
  "use strict";
  var key = "kroniek-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.scrollTo(0, parseInt(saved, 10) || 0);
  }
  // The build this page was served from; the server says its latest when we connect.
  var script = document.currentScript;
  var build = script ? script.getAttribute("data-build") : null;
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }
  var source = new EventSource("/__kroniek/events");
  source.addEventListener("reload", reload);
  // A build that finished between loading this page and connecting: reload now.
  source.addEventListener("build", function (e) {
    if (build !== null && e.data !== build) reload();
  });
})();
