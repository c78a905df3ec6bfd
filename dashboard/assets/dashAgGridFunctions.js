/* Functions AG Grid column definitions call by name (dash-ag-grid looks them up here). */
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

// A number in the language's format, as text.fmt_num does it in Python: Swedish "−1 234,5",
// English "−1,234.5"; '..' when missing. Only the display: the cell keeps its number for sorting.
dagfuncs.labourdashNum = function (value, decimals, lang, grouping) {
  if (value === null || value === undefined || value === "" || isNaN(Number(value))) {
    return "..";
  }
  var n = Number(value);
  var parts = Math.abs(n).toFixed(decimals).split(".");
  if (grouping) {
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, lang === "sv" ? "\u00a0" : ",");
  }
  var text = parts.join(lang === "sv" ? "," : ".");
  return (n < 0 && /[1-9]/.test(text) ? "\u2212" : "") + text;
};
