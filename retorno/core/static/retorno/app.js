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
// Lists to walk with the keyboard (the reception desk): ArrowDown from the search box goes to the
// first result, ArrowUp/ArrowDown move between results, Enter opens one.
document.addEventListener("keydown", function (event) {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") { return; }
  var target = event.target;
  if (!(target instanceof HTMLElement)) { return; }
  var list = document.querySelector("[data-keyboard-list]");
  if (!list) { return; }
  var links = Array.prototype.slice.call(list.querySelectorAll("a[href]"));
  if (!links.length) { return; }
  var index = links.indexOf(target);
  if (target.matches("[data-keyboard-list-search]") && event.key === "ArrowDown") {
    links[0].focus();
  } else if (index >= 0) {
    var next = index + (event.key === "ArrowDown" ? 1 : -1);
    if (next < 0) {
      var search = document.querySelector("[data-keyboard-list-search]");
      if (search instanceof HTMLElement) { search.focus(); }
    } else if (next < links.length) {
      links[next].focus();
    }
  } else {
    return;
  }
  event.preventDefault();
});
