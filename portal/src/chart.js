// A series of Observations over time: an SVG line chart with the reference range shaded, and
// the same figures as a table, which is what a screen reader reads (the chart is an image).

import { h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

/**
 * `points`: `[{ at: Date, value: number }]`, oldest first; `name`, `unit`; `range`:
 * `{ low, high }` or null. A chart (aria-hidden) and a table of the same values.
 */
export function seriesChart(points, { name, unit, range }) {
  const width = 640;
  const height = 240;
  const pad = { left: 56, right: 16, top: 16, bottom: 40 };
  const values = points.map((p) => p.value).concat(range ? [range.low, range.high].filter((v) => v !== undefined) : []);
  let [min, max] = [Math.min(...values), Math.max(...values)];
  if (min === max) { min -= 1; max += 1; }
  const margin = (max - min) * 0.1;
  [min, max] = [min - margin, max + margin];
  const times = points.map((p) => p.at.getTime());
  let [first, last] = [Math.min(...times), Math.max(...times)];
  if (first === last) { first -= 3_600_000; last += 3_600_000; }
  const x = (t) => pad.left + ((t - first) / (last - first)) * (width - pad.left - pad.right);
  const y = (v) => pad.top + (1 - (v - min) / (max - min)) * (height - pad.top - pad.bottom);
  const day = (t) => new Date(t).toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });

  const chart = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', 'aria-hidden': 'true', focusable: 'false' });
  if (range && range.low !== undefined && range.high !== undefined) {
    chart.append(s('rect', { x: pad.left, y: y(range.high), width: width - pad.left - pad.right, height: y(range.low) - y(range.high), class: 'chart-range' }));
  }
  chart.append(
    s('line', { x1: pad.left, y1: height - pad.bottom, x2: width - pad.right, y2: height - pad.bottom, class: 'chart-axis' }),
    s('line', { x1: pad.left, y1: pad.top, x2: pad.left, y2: height - pad.bottom, class: 'chart-axis' }),
    s('text', { x: pad.left - 6, y: y(max - margin) + 4, 'text-anchor': 'end', class: 'chart-label' }, String(+(max - margin).toFixed(2))),
    s('text', { x: pad.left - 6, y: y(min + margin) + 4, 'text-anchor': 'end', class: 'chart-label' }, String(+(min + margin).toFixed(2))),
    s('text', { x: pad.left, y: height - 12, class: 'chart-label' }, day(first)),
    s('text', { x: width - pad.right, y: height - 12, 'text-anchor': 'end', class: 'chart-label' }, day(last)),
    s('polyline', { points: points.map((p) => `${x(p.at.getTime())},${y(p.value)}`).join(' '), class: 'chart-line' }),
    ...points.map((p) => s('circle', { cx: x(p.at.getTime()), cy: y(p.value), r: 4, class: 'chart-point' })));

  const rows = points.map((p) => h('tr', {}, h('td', {}, p.at.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })), h('td', {}, `${p.value} ${unit}`)));
  return h('figure', { class: 'series', 'data-testid': 'series' },
    h('figcaption', {}, `${name} over time (${points.length} readings)${range ? `, reference range ${range.low}–${range.high} ${unit} shaded` : ''}`),
    chart,
    h('table', {}, h('caption', {}, `${name}: every reading`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'Value'))),
      h('tbody', {}, ...rows)));
}
