// Product form (CSP: no inline scripts). The shipping template search needs script, so it is
// shown only here; Enter in it searches at once instead of submitting the product form.
(function () {
  var search = document.getElementById("template-search");
  if (!search) return;
  search.hidden = false;
  var input = document.getElementById("template-q");
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      input.dispatchEvent(new Event("search"));
    }
  });
})();
