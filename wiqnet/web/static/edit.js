// Live check of opening hours fields on the edit form: asks the server, shows its reading.
(function () {
  "use strict";
  function check(input) {
    var out = document.getElementById(input.getAttribute("aria-describedby").split(" ")[0]);
    var url = input.getAttribute("data-hours-check") + "?text=" + encodeURIComponent(input.value);
    fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (answer) {
        out.textContent = answer.message;
        out.className = "hours-reading " + (answer.ok ? "ok" : "bad");
        if (answer.ok) { input.removeAttribute("aria-invalid"); } else { input.setAttribute("aria-invalid", "true"); }
      });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-hours-check]").forEach(function (input) {
      var timer = null;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { check(input); }, 250);
      });
      if (input.value) { check(input); }
    });
  });
}());
