/* global document, window */
// Reveals the slips' print buttons and makes them print (app/components/ActivationSlips.tsx). Without
// this script the buttons stay hidden and the hint beside them says how to print.
(function () {
  var buttons = document.querySelectorAll("[data-print-slips]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    if (buttons[i].dataset.printWired) continue;
    buttons[i].dataset.printWired = "1";
    buttons[i].addEventListener("click", function () {
      window.print();
    });
  }
})();
