/* Clientside helpers: language <-> URL, chart image export. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  labourdash: {
    // The language lives in the URL (?lang=en; Swedish is the default). A change of the toggle
    // rewrites the URL and tells Dash's page router, which redraws the page in that language.
    syncLang: function (search, lang) {
      var nu = window.dash_clientside.no_update;
      var ctx = window.dash_clientside.callback_context;
      var fromToggle = ctx.triggered.some(function (t) { return t.prop_id === "lang-toggle.value"; });
      var params = new URLSearchParams(window.location.search);
      var urlLang = params.get("lang") === "en" ? "en" : "sv";
      if (fromToggle) {
        if (lang !== urlLang) {
          if (lang === "en") { params.set("lang", "en"); } else { params.delete("lang"); }
          var qs = params.toString();
          window.history.pushState({}, "", window.location.pathname + (qs ? "?" + qs : "") + window.location.hash);
          window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
        }
        document.documentElement.lang = lang;
        return nu;
      }
      document.documentElement.lang = urlLang;
      return urlLang === lang ? nu : urlLang;
    },
    // A chart below the first screen: its figure waits (in a store) until the chart is within
    // 200 px of the screen (scrolled to, or its fold opened), so the first chart never shares the
    // browser with it. A newer figure replaces a waiting one; a chart in view is drawn at once.
    // The graph is looked up afresh at each check: React may replace its element meanwhile.
    drawWhenSeen: function (figure, graphId) {
      var nu = window.dash_clientside.no_update;
      var waiting = (window.__labourdashLater = window.__labourdashLater || {});
      if (waiting[graphId]) { waiting[graphId](); delete waiting[graphId]; }
      if (!figure) { return nu; }
      var near = function (el) {
        var box = el.getBoundingClientRect();
        return box.height > 0 && box.top < window.innerHeight + 200 && box.bottom > -200;
      };
      var first = document.getElementById(graphId);
      if (!first || near(first)) { return figure; }
      var timer = null;
      var stop = function () {
        clearInterval(timer);
        window.removeEventListener("scroll", check);
        window.removeEventListener("resize", check);
        delete waiting[graphId];
      };
      var check = function () {
        var el = document.getElementById(graphId);
        if (!el) { stop(); return; }  // the page was left
        if (!near(el)) { return; }
        stop();
        window.dash_clientside.set_props(graphId, { figure: figure });
      };
      timer = setInterval(check, 400);  // also catches a fold opening
      window.addEventListener("scroll", check, { passive: true });
      window.addEventListener("resize", check);
      waiting[graphId] = stop;
      return nu;
    },
    // The map at once, but no taller than its frame needs at this width: Plotly keeps a wide
    // area's frame (a county, a city) in proportion and centres it, which on a 390 px phone left
    // a blank band of ~150 px above and below it. The colour bar's strip keeps its pixels.
    fitMapHeight: function (figure, graphId) {
      var nu = window.dash_clientside.no_update;
      if (!figure) { return [nu, nu]; }
      var lay = figure.layout || {};
      var geo = lay.geo || {};
      var el = document.getElementById(graphId);
      var lon = geo.lonaxis && geo.lonaxis.range;
      var lat = geo.lataxis && geo.lataxis.range;
      var tall = lay.height ? { minHeight: lay.height + "px" } : nu;
      if (!el || !lon || !lat || !lay.height || !el.clientWidth) { return [figure, tall]; }
      var m = lay.margin || {};
      var y = function (d) { return Math.log(Math.tan(Math.PI / 4 + d * Math.PI / 360)); };
      var aspect = (y(lat[1]) - y(lat[0])) / ((lon[1] - lon[0]) * Math.PI / 180);
      var domain = (geo.domain && geo.domain.y) || [0, 1];
      var plot = lay.height - (m.t || 0) - (m.b || 0);
      var strip = plot * domain[0];
      var needed = (el.clientWidth - (m.l || 0) - (m.r || 0)) * aspect + strip + 8;
      if (!(aspect > 0) || needed >= plot) { return [figure, tall]; }
      var height = Math.round(lay.height - plot + needed);
      var changes = {
        height: height,
        geo: Object.assign({}, geo, { domain: Object.assign({}, geo.domain, { y: [strip / needed, 1] }) })
      };
      var title = lay.title;
      if (title && title.yref === "container" && typeof title.y === "number") {
        // the title keeps its distance in pixels from the top
        changes.title = Object.assign({}, title, { y: 1 - (1 - title.y) * lay.height / height });
      }
      return [Object.assign({}, figure, { layout: Object.assign({}, lay, changes) }),
              { minHeight: height + "px" }];
    },
    // PNG/SVG export of one chart through Plotly.downloadImage.
    downloadImage: function (n, graphId, fmt) {
      var nu = window.dash_clientside.no_update;
      if (!n) { return nu; }
      var root = document.getElementById(graphId);
      var gd = root && (root.classList.contains("js-plotly-plot") ? root : root.querySelector(".js-plotly-plot"));
      if (!gd || !window.Plotly) { return nu; }
      var name = (gd._context && gd._context.toImageButtonOptions && gd._context.toImageButtonOptions.filename) || graphId;
      window.Plotly.downloadImage(gd, { format: String(fmt).toLowerCase(), filename: name, scale: 2 });
      return String(fmt) + " " + n;
    }
  }
});

/* The source stamp starts at the figure's left edge, however wide the y axis made the left margin
   (automargin): starting at the plot's edge pushed its lines past a 390 px phone's card. */
(function () {
  var STAMP = "labourdash-stamp", EDGE = 6, queued = false;
  function align(gd) {
    var full = gd._fullLayout, anns = gd.layout && gd.layout.annotations;
    if (!full || !full._size || !anns || !window.Plotly) { return; }
    for (var i = 0; i < anns.length; i++) {
      if (anns[i] && anns[i].name === STAMP) {
        var want = -(Math.round(full._size.l) - EDGE);
        if (anns[i].xshift !== want) {
          var update = {};
          update["annotations[" + i + "].xshift"] = want;
          window.Plotly.relayout(gd, update);
        }
        return;
      }
    }
  }
  function watchAll() {
    queued = false;
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      if (!gd.on || gd._labourdashStamp) { return; }
      gd._labourdashStamp = true;
      gd.on("plotly_afterplot", function () { align(gd); });
      align(gd);
    });
  }
  new MutationObserver(function () {
    if (!queued) { queued = true; window.requestAnimationFrame(watchAll); }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();

/* A chart title wider than its chart (a 390 px phone) is wrapped again, by a character budget
   measured from the title's own width, so it never runs past the chart's right edge. Only the
   browser's copy changes: the server's figures and exports keep their titles as they are. */
(function () {
  var LINE_PX = 20, EDGE = 4, queued = false;
  function titleText(gd) {
    var t = gd.layout && gd.layout.title;
    return typeof t === "string" ? t : (t && t.text) || "";
  }
  function wrap(text, budget) {
    var words = text.replace(/<br>/g, " ").split(/\s+/), lines = [], line = "";
    words.forEach(function (w) {
      if (line && line.length + w.length + 1 > budget) { lines.push(line); line = w; }
      else { line = line ? line + " " + w : w; }
    });
    if (line) { lines.push(line); }
    return lines.join("<br>");
  }
  function fit(gd) {
    var el = gd.querySelector(".gtitle"), text = titleText(gd);
    if (!el || !text || !window.Plotly || !gd._fullLayout) { return; }
    var box = el.getBoundingClientRect(), card = gd.getBoundingClientRect();
    var room = card.right - EDGE - box.left;
    if (box.right <= card.right - EDGE || room <= 40) { return; }
    var longest = Math.max.apply(null, text.split("<br>").map(function (s) { return s.length; }));
    var budget = Math.max(8, Math.floor(longest * room / box.width) - 1);
    var wrapped = wrap(text, budget);
    if (wrapped === text) { return; }
    var added = wrapped.split("<br>").length - text.split("<br>").length;
    var update = { "title.text": wrapped };
    if (added > 0 && gd.layout.margin && gd.layout.margin.t) {
      update["margin.t"] = gd.layout.margin.t + LINE_PX * added;
    }
    window.Plotly.relayout(gd, update);
  }
  function watchAll() {
    queued = false;
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      if (!gd.on || gd._labourdashTitle) { return; }
      gd._labourdashTitle = true;
      gd.on("plotly_afterplot", function () { fit(gd); });
      fit(gd);
    });
  }
  new MutationObserver(function () {
    if (!queued) { queued = true; window.requestAnimationFrame(watchAll); }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
