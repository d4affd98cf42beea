// Live coin ↔ euro conversion on coin pages. Without JavaScript the form is submitted and
// the server converts (?menge= / ?euro=), so this only saves the round trip.
(function () {
  "use strict";

  function parse(text) {
    var s = (text || "").replace(/[\s\u00a0€]/g, "");
    if (!s) return NaN;
    if (s.indexOf(",") >= 0) s = s.replace(/\./g, "").replace(",", ".");
    else if (/^\d{1,3}(\.\d{3})+$/.test(s)) s = s.replace(/\./g, "");
    if (!/^(\d+(\.\d+)?|\.\d+)$/.test(s)) return NaN;
    return parseFloat(s);
  }

  // Made on the first input, not while the page loads: the page's first Intl formatter
  // loads the browser's German locale data (about 20 ms of main-thread CPU on a coin page).
  var euro, coins;

  function formatters() {
    if (euro) return;
    euro = new Intl.NumberFormat("de-DE", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    coins = new Intl.NumberFormat("de-DE", { maximumFractionDigits: 8 });
  }

  document.querySelectorAll("form[data-converter]").forEach(function (form) {
    var price = parseFloat(form.dataset.price);
    var amount = form.querySelector("input[name=menge]");
    var money = form.querySelector("input[name=euro]");
    if (!(price > 0) || !amount || !money) return;

    function mark(input, ok) {
      if (ok) input.removeAttribute("aria-invalid");
      else input.setAttribute("aria-invalid", "true");
    }

    amount.addEventListener("input", function () {
      var value = parse(amount.value);
      mark(amount, !isNaN(value) || amount.value === "");
      formatters();
      if (!isNaN(value)) money.value = euro.format(value * price);
    });
    money.addEventListener("input", function () {
      var value = parse(money.value);
      mark(money, !isNaN(value) || money.value === "");
      formatters();
      if (!isNaN(value)) amount.value = coins.format(value / price);
    });
  });
})();
