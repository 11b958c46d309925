/* Northvale County Council: small progressive enhancements. No timers, no network. */
(function () {
  "use strict";
  document.documentElement.className += " js-enabled";

  /* Print buttons: any <button data-print> prints the page. */
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-print]") : null;
    if (target) {
      event.preventDefault();
      window.print();
    }
  });
})();
