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
  var source = new EventSource("/__kroniek/events");
  source.addEventListener("reload", function () {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  });
})();
