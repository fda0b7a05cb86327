// "Select all on this page" for any list whose row checkboxes belong to a bulk form:
// <input type="checkbox" data-select-all="FORM-ID">. The count beside the actions follows.
(function () {
  function boxes(formId) {
    return document.querySelectorAll('input[name="ids"][form="' + formId + '"]');
  }
  function update(formId) {
    var n = 0;
    boxes(formId).forEach(function (b) { if (b.checked) n++; });
    document.querySelectorAll('[data-selected-count="' + formId + '"]').forEach(function (el) {
      el.textContent = n ? n + " selected" : "None selected";
    });
    document.querySelectorAll('button[form="' + formId + '"][data-needs-selection]').forEach(function (btn) {
      btn.disabled = n === 0;
    });
  }
  document.addEventListener("change", function (event) {
    var t = event.target;
    if (!t) return;
    var all = t.getAttribute && t.getAttribute("data-select-all");
    if (all) {
      boxes(all).forEach(function (b) { b.checked = t.checked; });
      update(all);
    } else if (t.name === "ids" && t.getAttribute("form")) {
      update(t.getAttribute("form"));
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-selected-count]").forEach(function (el) {
      update(el.getAttribute("data-selected-count"));
    });
  });
})();
