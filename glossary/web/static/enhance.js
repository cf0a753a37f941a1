// Progressive enhancement only: every page works without this file.
// A menu marked data-autosubmit submits its form as soon as it changes;
// "/" focuses the search box, as on most sites with one.
document.addEventListener("change", function (event) {
  var menu = event.target;
  if (menu.matches && menu.matches("select[data-autosubmit]") && menu.form) {
    menu.form.submit();
  }
});

document.addEventListener("keydown", function (event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  var active = document.activeElement;
  if (active && (active.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName))) return;
  var box = document.querySelector('input[type="search"]');
  if (box) {
    event.preventDefault();
    box.focus();
  }
});
