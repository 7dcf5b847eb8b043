/*
 * Live totals on the ballot: chosen projects and their cost against the budget, points
 * left, places given, and a budget simulator's balance per year. Progressive enhancement
 * only: the server checks every rule again and the form works without this script.
 * Money is counted in whole cents (integers), never in floating-point euros.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-ballot]");
  if (!form) return;
  var status = document.getElementById("ballot-status");
  var lang = document.documentElement.lang || "nl";
  var money = new Intl.NumberFormat(lang === "en" ? "en-GB" : "nl-NL", {
    style: "currency", currency: "EUR", minimumFractionDigits: 0, maximumFractionDigits: 2
  });

  function cents(text) {
    if (!text) return 0;
    var negative = text.charAt(0) === "-";
    var parts = text.replace("-", "").split(".");
    var value = parseInt(parts[0] || "0", 10) * 100 + parseInt(((parts[1] || "") + "00").slice(0, 2), 10);
    return negative ? -value : value;
  }
  function euro(valueInCents) { return money.format(valueInCents / 100); }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }
  function say(text, over) {
    if (!status) return;
    status.hidden = false;
    status.textContent = text;
    status.classList.toggle("samenspraak-ballot__status--over", !!over);
  }

  var kind = form.dataset.kind;
  var type = form.dataset.ballotType;

  function updateProjects() {
    var boxes = form.querySelectorAll("input[name=projects]");
    var count = 0, total = 0;
    boxes.forEach(function (box) {
      if (box.checked) { count += 1; total += cents(box.dataset.cost); }
    });
    var max = form.dataset.max;
    var parts = [max ? fill(status.dataset.textCount, {count: count, max: max})
                     : fill(status.dataset.textCountFree, {count: count})];
    parts.push(fill(status.dataset.textCost, {total: euro(total)}));
    var over = false;
    if (form.dataset.budget && type === "knapsack") {
      var budget = cents(form.dataset.budget);
      if (total > budget) {
        over = true;
        parts.push(fill(status.dataset.textOver, {over: euro(total - budget)}));
      } else {
        parts.push(fill(status.dataset.textLeft, {left: euro(budget - total)}));
      }
    }
    if (max && count > parseInt(max, 10)) over = true;
    say(parts.join(" "), over);
  }

  function updatePoints() {
    var used = 0;
    form.querySelectorAll("input[data-points]").forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (value > 0) used += value;
    });
    var points = parseInt(form.dataset.points || "0", 10);
    if (used > points) {
      say(fill(status.dataset.textPointsOver, {used: used, points: points, over: used - points}), true);
    } else {
      say(fill(status.dataset.textPoints, {used: used, points: points, left: points - used}), false);
    }
  }

  function updateRanks() {
    var count = 0;
    form.querySelectorAll("select[data-rank]").forEach(function (select) {
      if (select.value) count += 1;
    });
    say(fill(status.dataset.textRanked, {count: count}), false);
  }

  function updateSimulator() {
    var rows = document.querySelectorAll("[data-balance-table] tr[data-year]");
    var saved = {};
    form.querySelectorAll("input[name=measures]").forEach(function (box) {
      if (!box.checked || !box.dataset.amounts) return;
      box.dataset.amounts.split(";").forEach(function (pair) {
        var bits = pair.split(":");
        saved[bits[0]] = (saved[bits[0]] || 0) + cents(bits[1]);
      });
    });
    var short = [];
    rows.forEach(function (row) {
      var year = row.dataset.year;
      var gap = cents(row.dataset.gap);
      var got = saved[year] || 0;
      var left = Math.max(gap - got, 0);
      row.querySelector("[data-saved]").textContent = euro(got);
      var cell = row.querySelector("[data-left]");
      cell.textContent = euro(left);
      cell.classList.toggle("samenspraak-short", left > 0);
      if (left > 0) short.push(year);
    });
    var note = document.getElementById("balance-note");
    if (note) note.hidden = true;
    say(short.length ? fill(status.dataset.textOpen, {years: short.join(", ")})
                     : status.dataset.textCloses, short.length > 0);
  }

  var update = null;
  if (kind === "budget_simulator") update = updateSimulator;
  else if (kind === "participatory_budget" && type === "cumulative") update = updatePoints;
  else if (kind === "participatory_budget" && type === "ordinal") update = updateRanks;
  else if (kind === "participatory_budget") update = updateProjects;
  if (!update || !status) return;
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
