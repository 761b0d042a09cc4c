// Retorno's own behaviour: progressive enhancement only, every page works without it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
});
document.addEventListener("click", function (event) {
  var target = event.target;
  if (target instanceof Element && target.closest("[data-print]")) { window.print(); }
});
// Forms that asked to be confirmed (closing an arrival) say what will happen first.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
// After a refused save, the first field in error gets the focus, so the officer sees why at once.
document.addEventListener("DOMContentLoaded", function () {
  var invalid = document.querySelector("main [aria-invalid=true], main .is-invalid, main .invalid-feedback");
  if (!invalid) { return; }
  var field = invalid.matches("input, select, textarea") ? invalid : invalid.closest(".mb-3, fieldset");
  var target = field && (field.matches("input, select, textarea") ? field : field.querySelector("input, select, textarea"));
  if (target) { target.focus(); target.scrollIntoView({block: "center"}); }
});
