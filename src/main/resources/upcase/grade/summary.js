// The class summary: sorting by a column. The order lives in the URL's fragment (#sort=score
// lowest first, #sort=-score highest first), so a sorted view can be bookmarked or shared, and a
// header's click only changes the fragment: one path sorts, whether clicked or opened with it.
(function () {
  var table = document.getElementById("submissions");
  var body = table.tBodies[0];
  var headers = Array.prototype.slice.call(table.querySelectorAll("th[data-key]"));
  function wanted() {
    var m = /^#sort=(-?)([a-z]+)$/.exec(location.hash);
    return m && { key: m[2], descending: m[1] === "-" };
  }
  function sort(order) {
    var th = order && table.querySelector('th[data-key="' + order.key + '"]');
    headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
    if (th) {
      var column = th.cellIndex, numeric = th.getAttribute("data-type") === "number";
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute("data-value"), y = b.cells[column].getAttribute("data-value");
        var c = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
        // ties in submission order (the name), whichever way the column goes
        return (order.descending ? -c : c) || a.cells[0].getAttribute("data-value").localeCompare(b.cells[0].getAttribute("data-value"));
      });
      rows.forEach(function (r) { body.appendChild(r); });
      th.setAttribute("aria-sort", order.descending ? "descending" : "ascending");
    }
    Shown.values.sort = th ? (order.descending ? "-" : "") + order.key : null;
    Shown.values.order = Array.prototype.map.call(body.rows, function (r) { return r.cells[0].getAttribute("data-value"); });
    show();
  }
  headers.forEach(function (h) {
    h.addEventListener("click", function () {
      var now = wanted(), key = h.getAttribute("data-key");
      // a first click on a number column puts the highest first; a second click turns the order round
      var descending = now && now.key === key ? !now.descending : h.getAttribute("data-type") === "number";
      location.hash = "sort=" + (descending ? "-" : "") + key;
    });
  });
  window.addEventListener("hashchange", function () { sort(wanted()); });
  sort(wanted());
})();
