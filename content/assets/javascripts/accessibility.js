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
