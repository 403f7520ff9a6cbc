/* Progressive enhancement only; every page works without it.
   On wide screens, open the search filters (closed on phones so results come first). */
document.addEventListener("DOMContentLoaded", function () {
  if (!window.matchMedia("(min-width: 64em)").matches) return;
  document.querySelectorAll("details.tb-filters").forEach(function (filters) {
    filters.open = true;
  });
});
