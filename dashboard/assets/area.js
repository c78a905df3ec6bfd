/* The area profile (/area): its folded tables open before the browser prints the page. */
window.addEventListener("beforeprint", function () {
  document.querySelectorAll(".area-profile details").forEach(function (d) { d.open = true; });
});
