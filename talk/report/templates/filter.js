(function () {
  "use strict";
  // Details closed on screen are opened for printing, so that paper shows everything.
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.open = true;
      reopened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (d) { d.open = false; });
    reopened = [];
  });

  // The status filter. Without this script the bar stays hidden and everything shows.
  var bar = document.getElementById("filter");
  if (!bar) { return; }
  var buttons = Array.prototype.slice.call(bar.querySelectorAll("button[data-filter]"));
  var announce = document.getElementById("filter-status");
  var empty = document.getElementById("filter-empty");
  var active = [];

  function matches(element) {
    if (active.length === 0) { return true; }
    var statuses = (element.getAttribute("data-status") || "").split(" ");
    return statuses.some(function (s) { return active.indexOf(s) !== -1; });
  }

  function apply() {
    var marked = document.querySelectorAll("[data-status]");
    marked.forEach(function (el) { el.classList.toggle("filtered-out", !matches(el)); });
    // Innermost groups first: a group stays when something inside it is still shown.
    var groups = document.querySelectorAll("[data-group]");
    for (var i = groups.length - 1; i >= 0; i--) {
      var keep = active.length === 0 ||
        groups[i].querySelector("[data-status]:not(.filtered-out)") !== null;
      groups[i].classList.toggle("filtered-out", !keep);
    }
    buttons.forEach(function (b) {
      var f = b.getAttribute("data-filter");
      var pressed = f === "all" ? active.length === 0 : active.indexOf(f) !== -1;
      b.setAttribute("aria-pressed", pressed ? "true" : "false");
    });
    var shown = document.querySelectorAll("[data-status]:not(.filtered-out):not([data-detail])").length;
    if (empty) { empty.hidden = shown !== 0; }
    if (announce) {
      announce.textContent = active.length === 0 ? "Showing everything." :
        "Showing " + active.map(function (s) { return s.replace("_", " "); }).join(", ") +
        ": " + shown + " shown.";
    }
  }

  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      var f = b.getAttribute("data-filter");
      if (f === "all") {
        active = [];
      } else if (active.indexOf(f) === -1) {
        active.push(f);
      } else {
        active.splice(active.indexOf(f), 1);
      }
      apply();
    });
  });

  var wanted = new URLSearchParams(window.location.search).getAll("status");
  buttons.forEach(function (b) {
    var f = b.getAttribute("data-filter");
    if (f !== "all" && wanted.indexOf(f) !== -1) { active.push(f); }
  });
  bar.hidden = false;
  apply();
}());
