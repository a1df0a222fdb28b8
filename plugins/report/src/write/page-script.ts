/**
 * The page's own script: embeds every chart with vega-embed and makes tables sortable. It is a
 * constant (no data inside): chart specs sit in `application/json` blocks that the browser never
 * runs, so the Content-Security-Policy hash of this script never changes with the data.
 *
 * `ast: true` makes Vega evaluate expressions with its interpreter instead of `new Function`,
 * which the policy forbids (no 'unsafe-eval'); `defaultStyle: false` and the tooltip's
 * `disableDefaultStyle` stop vega-embed and vega-tooltip from injecting <style> elements, whose
 * rules live in the page's stylesheet instead.
 */
export const PAGE_SCRIPT = `(function () {
  'use strict';
  var options = {
    renderer: 'svg',
    actions: false,
    ast: true,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },
    logLevel: vega.Warn
  };
  var charts = document.querySelectorAll('[data-chart]');
  Array.prototype.forEach.call(charts, function (container) {
    var block = document.getElementById(container.getAttribute('data-chart'));
    var spec;
    try {
      spec = JSON.parse(block.textContent);
    } catch (error) {
      console.error('chart spec unreadable: ' + container.id);
      return;
    }
    container.textContent = '';
    vegaEmbed(container, spec, options).then(function () {
      container.setAttribute('data-rendered', 'true');
    }).catch(function (error) {
      container.textContent = 'This chart could not be drawn: ' + error.message;
      console.error(error);
    });
  });

  function cellKey(row, index, numeric) {
    var cell = row.cells[index];
    var value = cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent;
    if (!numeric) return value.toLowerCase();
    return value === '' ? Number.NEGATIVE_INFINITY : Number(value);
  }

  function sortBy(table, index, header) {
    var ascending = header.getAttribute('aria-sort') !== 'ascending';
    Array.prototype.forEach.call(header.parentNode.cells, function (th) { th.removeAttribute('aria-sort'); });
    header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var numeric = header.getAttribute('data-type') === 'number';
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellKey(a, index, numeric);
      var y = cellKey(b, index, numeric);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    if (!table.tHead || !table.tBodies[0]) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
      var button = header.querySelector('button');
      if (button) button.addEventListener('click', function () { sortBy(table, index, header); });
    });
  });
})();
`;
