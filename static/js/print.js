// Packing slip: the Print button (CSP allows no inline script).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print-slip");
  if (button) button.addEventListener("click", function () { window.print(); });
});
