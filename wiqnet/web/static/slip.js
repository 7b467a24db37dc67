// Show the print button of the referral slip and print on click (no inline script: CSP).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
