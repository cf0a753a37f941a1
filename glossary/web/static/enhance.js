// Progressive enhancement only: every page works without this file.
// A menu marked data-autosubmit submits its form as soon as it changes;
// "/" focuses the search box, as on most sites with one;
// a button marked data-copy copies the text of the element it names: such buttons
// come hidden, and are shown here only when the browser lets a page copy.
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

document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("button[data-copy]");
  if (!button || !navigator.clipboard) return;
  var source = document.getElementById(button.getAttribute("data-copy"));
  if (!source) return;
  navigator.clipboard.writeText(source.textContent).then(function () {
    button.textContent = "Copied";
    setTimeout(function () { button.textContent = "Copy"; }, 1500);
  });
});

document.addEventListener("DOMContentLoaded", function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("button[data-copy][hidden]").forEach(function (button) {
    button.hidden = false;
  });
});
