// The running weighted total of a score sheet, as the server computes it
// (juri_domain::rubric::Rubric::score): 100 × Σ w·(x−min)/(max−min) / Σ w, shown only
// when every criterion has a value. No framework; the page works without it.
(function () {
  "use strict";
  var form = document.getElementById("sheet");
  var out = document.getElementById("total");
  if (!form || !out) { return; }
  var inputs = form.querySelectorAll("input.score");
  function update() {
    var num = 0, den = 0, complete = true;
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      var w = parseFloat(el.dataset.weight), lo = parseInt(el.dataset.min, 10), hi = parseInt(el.dataset.max, 10);
      var x = parseInt(el.value, 10);
      if (el.value === "" || isNaN(x) || x < lo || x > hi) { complete = false; continue; }
      num += w * (x - lo) / (hi - lo);
      den += w;
    }
    out.value = complete && den > 0 ? (100 * num / den).toFixed(1) : "\u2013";
  }
  form.addEventListener("input", update);
  update();
})();
