// Catalog: "select all on this page" for bulk actions (CSP: no inline scripts).
document.addEventListener("change", function (event) {
  if (event.target && event.target.id === "select-all") {
    document.querySelectorAll('input[name="ids"][form="bulk-form"]').forEach(function (box) {
      box.checked = event.target.checked;
    });
  }
});
