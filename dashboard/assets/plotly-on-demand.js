/* dcc.Graph loads Plotly from window._dashPlotlyJSURL when its first chart mounts (the full bundle
 * by default). dashboard/plotlyjs.py names the partial bundle in <meta name="labourdash-plotly-src">
 * and preloads it; this pins the URL to it (Dash's renderer assigns its own later: ignored).
 */
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="labourdash-plotly-src"]');
  if (!meta || window.Plotly) {
    return;
  }
  var src = meta.getAttribute('content');
  Object.defineProperty(window, '_dashPlotlyJSURL', {
    configurable: true,
    get: function () { return src; },
    set: function () {}
  });
})();
