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
      var fig = window.labourdashStamped ? window.labourdashStamped(gd) : gd;  // with its stamp
      var opts = { format: String(fmt).toLowerCase(), filename: name, scale: 2 };
      if (fig.layout && fig.layout.width) { opts.width = fig.layout.width; opts.height = fig.layout.height; }
      window.Plotly.downloadImage(fig, opts);
      return String(fmt) + " " + n;
    }
  }
});

/* The source stamp (dashboard/ui/exports/stamp.py): the server puts it in layout.meta, never in the
   plot's space. On screen it is a line of text under the chart (source, a link to the view and, for
   synthetic values, the synthetic mark), which wraps like any text. Every export of the chart (the
   tool bar's camera, the card's PNG/SVG buttons) draws a copy with the full stamp above the plot,
   the figure taller by its lines: `window.labourdashStamped(gd)` makes that copy. */
(function () {
  var META = "labourdash_stamp", EDGE = 6, queued = false, hooked = false;
  function stampOf(gd) {
    var meta = gd && gd.layout && gd.layout.meta;
    return meta && typeof meta === "object" ? meta[META] : null;
  }
  function clone(v) {  // a deep copy that keeps typed arrays typed (JSON would not)
    if (Array.isArray(v)) { return v.map(clone); }
    if (ArrayBuffer.isView(v)) { return v.slice(); }
    if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      var out = {};
      Object.keys(v).forEach(function (k) { out[k] = clone(v[k]); });
      return out;
    }
    return v;
  }
  function titleText(layout) {
    var t = layout.title;
    return typeof t === "string" ? t : (t && t.text) || "";
  }
  // the figure as it is taken away: {data, layout, config} for Plotly.toImage / downloadImage
  function stamped(gd) {
    var st = stampOf(gd), full = gd._fullLayout || {};
    var layout = clone(gd.layout || {});
    var ctx = gd._context || {}, config = {};
    ["topojsonURL", "locale", "locales", "plotlyServerURL"].forEach(function (k) {
      if (ctx[k] !== undefined) { config[k] = ctx[k]; }
    });
    var width = full.width || layout.width, height = full.height || layout.height;
    if (st) {
      var extra = st.extra, margin = layout.margin || {};
      var top = (typeof margin.t === "number" ? margin.t : (full.margin && full.margin.t) || 30);
      layout.margin = Object.assign({}, margin, { t: top + extra });
      height = height + extra;  // the plot keeps its size
      var title = titleText(layout);
      if (title) {  // the title's first line at a fixed distance from the top; the stamp below it
        var old = typeof layout.title === "object" ? layout.title : { text: title };
        var size = (old.font && old.font.size) || st.title_font;
        layout.title = Object.assign({}, old, { y: 1 - (st.title_top + size) / height, yref: "container", yanchor: "bottom" });
      }
      var note = Object.assign({}, st.annotation);
      if (full._size) { note.xshift = -(Math.round(full._size.l) - EDGE); }  // from the left edge
      layout.annotations = (layout.annotations || []).concat([note]);
    }
    layout.width = width;
    layout.height = height;
    return { data: clone(gd.data || []), layout: layout, config: config };
  }
  window.labourdashStamped = stamped;
  // the tool bar's camera calls the registry's downloadImage with the graph: give it the copy
  function hook() {
    if (hooked || !window.Plotly || !window.Plotly.register || !window.Plotly.downloadImage) { return; }
    hooked = true;
    var original = window.Plotly.downloadImage;
    window.Plotly.register({
      moduleType: "apiMethod",
      name: "downloadImage",
      fn: function (gd, opts) {
        if (!gd || !gd._fullLayout || !stampOf(gd)) { return original(gd, opts); }
        var fig = stamped(gd);
        var o = Object.assign({}, opts || {});
        o.width = o.width || fig.layout.width;
        o.height = o.height || fig.layout.height;
        o.filename = o.filename || (gd._context && gd._context.toImageButtonOptions || {}).filename;
        return original(fig, o);
      }
    });
  }
  // on screen: the stamp as text right under the graph, in its card
  function show(gd) {
    var root = gd.closest(".dash-graph") || gd, st = stampOf(gd), full = gd._fullLayout;
    // the room kept for the chart before it was drawn becomes the chart's own height: no blank
    // band between the chart and its stamp
    if (full && full.height && root !== gd) { root.style.minHeight = Math.round(full.height) + "px"; }
    var box = root.nextElementSibling;
    if (!box || !box.classList.contains("chart-stamp")) {
      if (!st) { return; }
      box = document.createElement("p");
      box.className = "chart-stamp";
      root.parentNode.insertBefore(box, root.nextSibling);
    }
    if (!st) { box.hidden = true; return; }
    var key = JSON.stringify([st.mark, st.source, st.link, st.link_label]);
    box.hidden = false;
    if (box.getAttribute("data-key") === key) { return; }
    box.setAttribute("data-key", key);
    box.textContent = "";
    if (st.mark) {
      var mark = document.createElement("strong");
      mark.className = "chart-stamp-synthetic";
      mark.textContent = "\u26a0 " + st.mark;
      box.appendChild(mark);
      box.appendChild(document.createTextNode(" \u00b7 "));
    }
    box.appendChild(document.createTextNode(st.source || ""));
    if (st.link) {
      box.appendChild(document.createTextNode(" \u00b7 "));
      var a = document.createElement("a");
      a.href = st.link;
      a.textContent = st.link_label || st.link;
      box.appendChild(a);
    }
  }
  function watchAll() {
    queued = false;
    hook();
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      if (!gd.on || gd._labourdashStamp) { return; }
      gd._labourdashStamp = true;
      gd.on("plotly_afterplot", function () { show(gd); });
      if (gd._fullLayout) { show(gd); }
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
