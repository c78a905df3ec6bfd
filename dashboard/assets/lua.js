/* The LUA page (/lua): a legend below the plot that wraps onto more lines than the chart's height
leaves room for (a 390 px phone) would be drawn over the summary under the chart. The chart grows
by what the legend needs, and shrinks back to the figure's own height when it is wide again. */
(function () {
  var GRAPH = "lua-graph";
  var GAP = 8; // px between the legend's last line and the chart's bottom edge

  function fit(gd) {
    var lay = gd._fullLayout, legend = gd.querySelector(".legend");
    var svg = gd.querySelector(".main-svg");
    if (!lay || !svg || !gd.layout) { return; }
    if (gd.layout.height !== gd._luaFitted) { // a new figure from the server (or a first look)
      gd._luaBase = gd.layout.height || lay.height;
      gd._luaTries = 0;
    }
    var base = gd._luaBase, top = svg.getBoundingClientRect().top;
    var needed = base;
    if (legend) {
      var over = legend.getBoundingClientRect().bottom - top + GAP - lay.height;
      needed = Math.max(base, Math.ceil(lay.height + over));
    }
    var outer = document.getElementById(GRAPH);
    if (Math.abs(needed - lay.height) <= 2 || gd._luaTries >= 6) { return; } // settled
    gd._luaTries += 1;
    gd._luaFitted = needed;
    if (outer) { outer.style.minHeight = needed + "px"; }
    window.Plotly.relayout(gd, { height: needed });
  }

  function watch() {
    var outer = document.getElementById(GRAPH);
    var gd = outer && outer.querySelector(".js-plotly-plot");
    if (!gd || gd._luaWatched || !gd.on) { return; }
    gd._luaWatched = true;
    gd.on("plotly_afterplot", function () { fit(gd); });
    window.addEventListener("resize", function () { gd._luaTries = 0; });
    fit(gd);
  }

  new MutationObserver(watch).observe(document.documentElement, { childList: true, subtree: true });
})();
