// Material's search dialog has role="dialog" but no accessible name, so screen
// readers announce an unnamed dialog (WCAG 4.1.2; axe: aria-dialog-name).
document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (dialog) {
  dialog.setAttribute("aria-label", "Search");
});

// A page whose title is in another language (a source's own title, marked on its heading) marks the
// title in the header bar too, so that a screen reader reads it in that language (WCAG 3.1.2).
var heading = document.querySelector("article h1[lang]");
if (heading) {
  document.querySelectorAll('[data-md-component="header-topic"] .md-ellipsis').forEach(function (title) {
    title.setAttribute("lang", heading.getAttribute("lang"));
  });
}

// The menu button, on narrow screens, is a label for the drawer's checkbox: it takes no keyboard focus,
// so the navigation could not be opened from the keyboard (WCAG 2.1.1). It is made a button that says
// whether the drawer is open; Material presses a focused label on Enter, and Space presses it here.
var drawer = document.getElementById("__drawer");
document.querySelectorAll('label.md-header__button[for="__drawer"]').forEach(function (button) {
  button.setAttribute("tabindex", "0");
  button.setAttribute("role", "button");
  button.setAttribute("aria-label", "Navigation");
  button.setAttribute("aria-expanded", String(Boolean(drawer && drawer.checked)));
  button.addEventListener("keydown", function (event) {
    if (event.key === " ") {
      event.preventDefault();
      button.click();
    }
  });
  if (drawer) {
    drawer.addEventListener("change", function () {
      button.setAttribute("aria-expanded", String(drawer.checked));
    });
  }
});
