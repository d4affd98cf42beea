// Hover and keyboard read-out for the server-rendered price charts (kryptowelt/charts/,
// drawn with `interactive=True`). Each SVG carries its values in data attributes; a figure
// holds a wide and a narrow rendering (CSS shows one) sharing one read-out. Without this
// script the chart, its caption and the data table still say everything.
(function () {
  "use strict";

  // Made on the first read-out, not while the page loads: the first Intl formatter of a
  // page loads the browser's German locale data, about 20 ms of main-thread CPU in a
  // Lighthouse trace of /kurse/bitcoin/ (a long task of its own on a phone).
  var money, small, when;

  function formatters() {
    if (money) return;
    money = new Intl.NumberFormat("de-DE", { style: "currency", currency: "EUR" });
    small = new Intl.NumberFormat("de-DE", {
      style: "currency",
      currency: "EUR",
      maximumSignificantDigits: 6,
    });
    when = new Intl.DateTimeFormat("de-DE", {
      day: "2-digit",
      month: "2-digit",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    });
  }

  function numbers(text) {
    return (text || "").trim().split(/\s+/).map(Number);
  }

  function setup(svg, readout) {
    var times = numbers(svg.dataset.t);
    var values = numbers(svg.dataset.v);
    if (times.length < 2 || times.length !== values.length) return;
    var x0 = +svg.dataset.x0, x1 = +svg.dataset.x1;
    var y0 = +svg.dataset.y0, y1 = +svg.dataset.y1;
    var v0 = +svg.dataset.v0, v1 = +svg.dataset.v1;
    var t0 = times[0], t1 = times[times.length - 1];
    var cursor = svg.querySelector(".chart__cursor");
    var line = cursor.querySelector("line");
    var dot = cursor.querySelector("circle");
    var index = times.length - 1;

    function xOf(t) { return x0 + ((t - t0) / ((t1 - t0) || 1)) * (x1 - x0); }
    function yOf(v) { return y0 + ((v - v0) / ((v1 - v0) || 1)) * (y1 - y0); }

    function show(i) {
      index = Math.max(0, Math.min(times.length - 1, i));
      var x = xOf(times[index]);
      line.setAttribute("x1", x);
      line.setAttribute("x2", x);
      dot.setAttribute("cx", x);
      dot.setAttribute("cy", yOf(values[index]));
      cursor.setAttribute("visibility", "visible");
      var value = values[index];
      formatters();
      readout.textContent =
        when.format(new Date(times[index] * 1000)) + " Uhr: " +
        (value >= 1 ? money.format(value) : small.format(value));
      readout.hidden = false;
    }

    function hide() {
      cursor.setAttribute("visibility", "hidden");
      readout.hidden = true;
    }

    function nearest(clientX) {
      var box = svg.getBoundingClientRect();
      var viewX = ((clientX - box.left) / box.width) * svg.viewBox.baseVal.width;
      var t = t0 + ((viewX - x0) / (x1 - x0)) * (t1 - t0);
      var lo = 0, hi = times.length - 1;
      while (hi - lo > 1) {
        var mid = (lo + hi) >> 1;
        if (times[mid] < t) lo = mid; else hi = mid;
      }
      return Math.abs(times[lo] - t) <= Math.abs(times[hi] - t) ? lo : hi;
    }

    svg.addEventListener("pointermove", function (event) { show(nearest(event.clientX)); });
    svg.addEventListener("pointerleave", hide);
    svg.addEventListener("focus", function () { show(index); });
    svg.addEventListener("blur", hide);
    svg.addEventListener("keydown", function (event) {
      var step = event.shiftKey ? 10 : 1;
      if (event.key === "ArrowLeft") show(index - step);
      else if (event.key === "ArrowRight") show(index + step);
      else if (event.key === "Home") show(0);
      else if (event.key === "End") show(times.length - 1);
      else return;
      event.preventDefault();
    });
  }

  document.querySelectorAll("[data-price-chart]").forEach(function (figure) {
    var readout = figure.querySelector(".chart-readout");
    if (!readout) return;
    figure.querySelectorAll("svg.price-chart").forEach(function (svg) {
      setup(svg, readout);
    });
  });
})();
