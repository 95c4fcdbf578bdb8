// The running weighted total of a score sheet, as the server computes it
// (juri_domain::rubric::Rubric::score): 100 × Σ w·(x−min)/(max−min) / Σ w, shown only
// when every criterion has a value. No framework; the page works without it.
(function () {
  "use strict";
  var form = document.getElementById("sheet");
  var out = document.getElementById("total");
  if (!form || !out) { return; }
  // On a wide screen the entry stands open beside the sheet (the stylesheet puts
  // them side by side); on a phone it stays folded above it.
  var pane = document.getElementById("entry-pane");
  if (pane && window.matchMedia("(min-width: 64rem)").matches) { pane.open = true; }
  // A criterion is a number box (wide scales) or a row of radio buttons (a tap per
  // value); both carry the weight and scale, on the box or on the row.
  var criteria = form.querySelectorAll("input[type=number].score, .scale");
  function valueOf(el) {
    if (el.classList.contains("scale")) {
      var checked = el.querySelector("input:checked");
      return checked ? checked.value : "";
    }
    return el.value;
  }
  function update() {
    var num = 0, den = 0, complete = true;
    for (var i = 0; i < criteria.length; i++) {
      var el = criteria[i];
      var w = parseFloat(el.dataset.weight), lo = parseInt(el.dataset.min, 10), hi = parseInt(el.dataset.max, 10);
      var raw = valueOf(el), x = parseInt(raw, 10);
      if (raw === "" || isNaN(x) || x < lo || x > hi) { complete = false; continue; }
      num += w * (x - lo) / (hi - lo);
      den += w;
    }
    out.value = complete && den > 0 ? (100 * num / den).toFixed(1) : "\u2013";
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
