// Charts drawn with uPlot. Chart geometry uses numbers; the figures shown as text stay the API's strings.
import uPlot from 'uplot';

const PALETTE = ['#2b6cb0', '#c05621', '#2f855a', '#6b46c1', '#b83280', '#2c7a7b', '#975a16', '#4a5568'];

export function color(i) {
  return PALETTE[i % PALETTE.length];
}

function size(container, height) {
  return { width: Math.max(320, Math.min(960, container.clientWidth || 720)), height };
}

/** Axis labels in UTC, as every time in the tables. */
const utc = (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');

/**
 * A time chart. x: seconds since the epoch; series: {label, values, color?, fill?, points?: true for
 * markers only, dash?}; bands: [[upperIndex, lowerIndex, fill]] over series indexes (1-based as uPlot's).
 */
export function timeChart(container, { title, x, series, bands = [], yLabel = '', height = 260 }) {
  const holder = document.createElement('figure');
  holder.className = 'chart';
  holder.setAttribute('role', 'img');
  holder.setAttribute('aria-label', title);
  container.append(holder);
  const options = {
    title,
    ...size(container, height),
    tzDate: utc,
    scales: { x: { time: true } },
    axes: [{}, { label: yLabel }],
    series: [{}, ...series.map((s, i) => ({
      label: s.label,
      stroke: s.points ? 'transparent' : (s.color ?? color(i)),
      fill: s.fill,
      dash: s.dash,
      width: s.points ? 0 : 2,
      spanGaps: !s.points,
      points: s.points ? { show: true, size: 10, fill: s.color ?? '#c53030', stroke: s.color ?? '#c53030' } : { show: false },
      paths: s.points ? () => null : undefined,
    }))],
    bands: bands.map(([upper, lower, fill]) => ({ series: [upper, lower], fill })),
    cursor: { drag: { x: false, y: false } },
    legend: { live: false },
  };
  const chart = new uPlot(options, [x, ...series.map((s) => s.values)], holder);
  holder.dataset.series = String(series.length);
  return chart;
}

/** Running sums of series, for a stacked drawing: the top series is the total. */
export function stacked(valueLists) {
  const sums = [];
  let running = null;
  for (const values of valueLists) {
    running = values.map((v, i) => (running ? running[i] : 0) + (v ?? 0));
    sums.push(running);
  }
  return sums;
}
