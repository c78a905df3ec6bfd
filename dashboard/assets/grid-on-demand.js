/* The data grid's script (dash_ag_grid, 1.3 MB) loads when a grid is about to be seen, not with
 * the page: dashboard/lazygrid.py takes it out of the page's scripts and names its URL in
 * <meta name="labourdash-grid-src">. Until then window.dash_ag_grid.AgGrid is a stand-in that draws
 * an empty box of the grid's size; when the grid's "Table" section is opened (or at once for a grid
 * that is not in a closed section) the real script is added, and the stand-in renders the real grid with the same props (Dash's renderer
 * looks the component up in window.dash_ag_grid, which the real script then replaces).
 */
(function () {
  'use strict';
  if (window.dash_ag_grid) {
    return; // the grid's script is already on the page
  }
  var meta = document.querySelector('meta[name="labourdash-grid-src"]');
  if (!meta || !window.React) {
    return;
  }
  var React = window.React;
  var stub = {};
  var loading = null;

  function realGrid() {
    var ns = window.dash_ag_grid;
    return ns && ns !== stub && ns.AgGrid ? ns.AgGrid : null;
  }

  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement('script');
        script.src = meta.getAttribute('content');
        script.async = true;
        script.onload = function () { resolve(realGrid()); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function AgGridOnDemand(props) {
    var state = React.useState(realGrid);
    var Real = state[0];
    var setReal = state[1];
    var box = React.useRef(null);
    React.useEffect(function () {
      if (Real || !box.current) {
        return undefined;
      }
      var done = false;
      function start() {
        load().then(function (grid) {
          if (!done && grid) { setReal(function () { return grid; }); }
        });
      }
      var details = box.current.closest('details');
      if (!details || details.open) {
        start(); // a grid shown from the start (the Data page)
        return function () { done = true; };
      }
      function opened() {
        if (details.open) {
          details.removeEventListener('toggle', opened);
          start();
        }
      }
      details.addEventListener('toggle', opened);
      return function () { done = true; details.removeEventListener('toggle', opened); };
    }, [Real]);
    if (Real) {
      return React.createElement(Real, props);
    }
    return React.createElement('div', {
      ref: box,
      id: props.id,
      className: 'ag-theme-alpine grid-pending',
      style: props.style,
      'aria-busy': 'true'
    });
  }

  stub.AgGrid = AgGridOnDemand;
  window.dash_ag_grid = stub;
})();
