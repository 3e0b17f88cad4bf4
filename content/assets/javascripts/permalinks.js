// A fact's address is its profile's page and its id (#fact-...). A profile too long for one
// page is split, and as facts are added before it a fact can move to the next page. Each page
// of a split profile carries a hidden link, named by the fact's id, to the page where each of
// its other facts now lives (generator/render.py, moved_links): follow it, so that an address
// written down before the move still finds the fact.
(function () {
  function followMovedFact() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var link = id ? document.getElementById(id) : null;
    if (link && link.classList.contains("fact-moved")) {
      window.location.replace(link.href);
    }
  }
  followMovedFact();
  window.addEventListener("hashchange", followMovedFact);
})();
