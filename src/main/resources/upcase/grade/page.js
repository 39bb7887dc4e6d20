// What the page shows, written into #shown (hidden) as JSON, so that a test reading the DOM after
// the scripts ran sees what a person sees; script errors and requests (there must be none) too.
var Shown = { errors: [], values: {} };
window.addEventListener("error", function (e) { Shown.errors.push(String(e.message)); });
function texts(selector) {
  return Array.prototype.map.call(document.querySelectorAll(selector), function (e) { return e.textContent; });
}
function show() {
  Shown.title = document.title;
  Shown.resources = performance.getEntriesByType("resource").length;
  document.getElementById("shown").textContent = JSON.stringify(Shown);
  document.body.setAttribute("data-errors", String(Shown.errors.length));
  document.body.setAttribute("data-ready", "true");
}
