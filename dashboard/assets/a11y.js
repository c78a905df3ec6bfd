/* labourdash: browser history, chart names and dropdown typing (see dashboard/a11y.py).

1. History: the map's year slider and Play REPLACE the browser history entry; every other change
   (a deliberate choice) adds one. dcc.Location(refresh=False) always calls history.pushState when
   a callback sets `search`, so a push that changes only the year, right after the user moved the
   slider or while Play runs, is turned into a replaceState.
2. Charts: each chart's graph is a figure with an accessible name (its title) and its one-sentence
   summary as description (aria-label, aria-describedby), kept up to date as the chart redraws.
3. Dropdowns: after opening one with Enter (focus lands on the chosen option), typing goes to the
   dropdown's search box, so it filters as with a mouse.
*/
(function () {
  "use strict";

  // 1. History -------------------------------------------------------------------------------
  // The slider's own callbacks run only after the server answered (its value is also an output of
  // the URL callback), i.e. after the push; so the slider is recognised by the user's last
  // pointer/key interaction, and Play by its pressed button.
  var SLIDER = "#map-year", PLAY = "#map-play";
  var lastOnSlider = false;
  var lastOnPlay = false;  // a frame already on its way when Play is stopped still replaces
  var push = window.history.pushState.bind(window.history);
  var replace = window.history.replaceState.bind(window.history);

  function remember(event) {
    var t = event.target;
    lastOnSlider = !!(t && t.closest && t.closest(SLIDER));
    lastOnPlay = !!(t && t.closest && t.closest(PLAY));
  }

  function playing() {
    var play = document.querySelector(PLAY);
    return !!play && play.getAttribute("aria-pressed") === "true";
  }

  // True when `url` changes the year and no other parameter the current URL has (parameters it
  // gains are the defaults written out by the first change).
  function onlyYearChanges(url) {
    try {
      var next = new URL(url, window.location.href);
      var now = new URL(window.location.href);
      if (next.pathname !== now.pathname || next.searchParams.get("year") === now.searchParams.get("year")) {
        return false;
      }
      var same = true;
      now.searchParams.forEach(function (value, key) {
        if (key !== "year" && next.searchParams.get(key) !== value) { same = false; }
      });
      return same;
    } catch (e) {
      return false;
    }
  }

  window.history.pushState = function (state, title, url) {
    if (url !== undefined && (lastOnSlider || lastOnPlay || playing()) && onlyYearChanges(url)) {
      return replace(state, title, url);
    }
    return push(state, title, url);
  };
  document.addEventListener("pointerdown", remember, true);
  document.addEventListener("keydown", remember, true);

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.labourdash_a11y = {
    // The map's chosen year as text beside the slider.
    sliderYear: function (year) {
      return year === undefined || year === null ? "" : String(year);
    },
    // The "Val"/"Options" button: fold or unfold a page's controls (phones).
    fold: function (n, expanded) {
      var open = !(expanded === "true" || expanded === true);
      return [open ? "true" : "false", open ? "fold-box open" : "fold-box"];
    }
  };

  // 2. Chart names ---------------------------------------------------------------------------
  function plain(html) {
    var div = document.createElement("div");
    div.innerHTML = String(html || "").replace(/<br\s*\/?>/gi, " ");
    return (div.textContent || "").replace(/\s+/g, " ").trim();
  }

  function nameCharts() {
    var en = document.documentElement.lang === "en";
    var fallback = en ? "Chart" : "Diagram";
    document.querySelectorAll("section.chart").forEach(function (section) {
      var graph = section.querySelector(".dash-graph");
      var summary = section.querySelector("p.summary[id]");
      if (!graph) { return; }
      var gd = graph.querySelector(".js-plotly-plot");
      var title = gd && gd.layout && gd.layout.title ? plain(gd.layout.title.text) : "";
      var name = title || fallback;
      var drawn = gd && gd.data && gd.data.some(function (trace) {
        return (trace.x && trace.x.length) || (trace.y && trace.y.length) ||
          (trace.locations && trace.locations.length) || (trace.lon && trace.lon.length);
      });
      if (gd && gd.data && !drawn) {  // an empty chart says so, and why (its one annotation)
        var notes = (gd.layout && gd.layout.annotations) || [];
        var why = notes.length ? plain(notes[0].text) : "";
        name += (en ? " (empty)" : " (tomt)") + (why ? ": " + why : "");
      }
      if (graph.getAttribute("role") !== "figure") { graph.setAttribute("role", "figure"); }
      if (graph.getAttribute("aria-label") !== name) { graph.setAttribute("aria-label", name); }
      if (summary && graph.getAttribute("aria-describedby") !== summary.id) {
        graph.setAttribute("aria-describedby", summary.id);
      }
    });
  }

  // The year slider's handle (role=slider) is named by its field's visible label.
  function nameSliders() {
    document.querySelectorAll(".field [role='slider']").forEach(function (handle) {
      var label = handle.closest(".field").querySelector("label.field-label");
      var name = label ? plain(label.textContent) : "";
      if (name && handle.getAttribute("aria-label") !== name) { handle.setAttribute("aria-label", name); }
    });
  }

  var scheduled = false;
  function schedule() {
    if (scheduled) { return; }
    scheduled = true;
    window.requestAnimationFrame(function () { scheduled = false; nameCharts(); nameSliders(); });
  }

  // 3. Typing filters an open dropdown -------------------------------------------------------
  function typeIntoSearch(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || !event.key || event.key.length !== 1) {
      return;
    }
    var content = event.target && event.target.closest && event.target.closest(".dash-dropdown-content");
    if (!content) { return; }
    var search = content.querySelector("input.dash-dropdown-search, .dash-dropdown-search-container input");
    if (!search || event.target === search) { return; }
    event.preventDefault();
    search.focus();
    var setter = Object.getOwnPropertyDescriptor(window.HTMLInputElement.prototype, "value").set;
    setter.call(search, (search.value || "") + event.key);
    search.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function start() {
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true, characterData: true });
    document.addEventListener("keydown", typeIntoSearch, true);
    schedule();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
