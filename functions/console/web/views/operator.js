// The pool operator's views (admin keys): top consumers, pool utilisation, miners' SLA, the capacity
// forecast, the quota editor, rejects with replay, and billing sync runs.
import { call, all, path } from '../api.js';
import { h, figure, table, section, summary, field } from '../dom.js';
import { timeChart, color } from '../charts.js';
import { epochSeconds, plotted, day, month } from '../format.js';
import { errorBox, showFieldErrors } from '../errors.js';
import { load, enc, optionsForm, select } from './common.js';

function isoDay(text, fallback) {
  return /^\d{4}-\d{2}-\d{2}$/.test(text ?? '') ? text : fallback;
}

function rangeInputs(ctx, fromDefault, toDefault) {
  const from = isoDay(ctx.params.get('from'), fromDefault);
  const to = isoDay(ctx.params.get('to'), toDefault);
  return {
    from, to,
    controls: [field('From (UTC day)', h('input', { id: 'from', name: 'from', type: 'date', value: from })),
      field('To (UTC day, exclusive)', h('input', { id: 'to', name: 'to', type: 'date', value: to }))],
  };
}

const tomorrow = () => day(new Date(Date.now() + 86400000));
const daysAgo = (n) => day(new Date(Date.now() - n * 86400000));
const startOf = (d) => `${d}T00:00:00Z`;

async function top(body, ctx) {
  const range = rangeInputs(ctx, `${month()}-01`, tomorrow());
  const n = /^\d+$/.test(ctx.params.get('top') ?? '') ? ctx.params.get('top') : '10';
  body.append(optionsForm(ctx, 'top-form', [...range.controls,
    field('How many', h('input', { id: 'top', name: 'top', type: 'number', min: 1, max: 100, value: n }))]));
  const route = path('/usage', { from: startOf(range.from), to: startOf(range.to), top: n });
  await load(body, async () => {
    const answer = await call(route);
    return section('Top consumers by cost', route,
      summary([['Tenants with usage', figure(answer.tenantsWithUsage, 'int', 'tenantsWithUsage')],
        ['Tenants considered', figure(answer.tenantsConsidered, 'int', 'tenantsConsidered')]]),
      table('Tenants ranked by cost in USD', [
        { label: 'Rank', field: 'rank', kind: 'int' },
        { label: 'Tenant', render: (c, i) => h('a', { href: `#/costs?tenant=${enc(c.tenant)}`, class: 'figure', 'data-path': `consumers[${i}].tenant` }, c.tenant) },
        { label: 'Cost (USD)', field: 'costUsd', kind: 'usd' },
        { label: 'Cost (tokens)', field: 'costTokens', kind: 'tokens' },
      ], answer.consumers, 'consumers'));
  });
}

async function pool(body, ctx) {
  const range = rangeInputs(ctx, daysAgo(1), tomorrow());
  body.append(optionsForm(ctx, 'pool-form', range.controls));
  const route = path('/sla/capacity/snapshots', { from: startOf(range.from), to: startOf(range.to), limit: 1000 });
  const latest = '/sla/metrics?limit=1';
  await load(body, async () => {
    const [snapshots, metrics] = await Promise.all([call(route), call(latest)]);
    const x = snapshots.snapshots.map((s) => epochSeconds(s.at));
    const chart = h('div', { class: 'chart-slot' });
    requestAnimationFrame(() => x.length && timeChart(chart, {
      title: 'Pool utilisation and capacity availability (%)', x, yLabel: '%',
      series: [
        { label: 'Utilisation %', values: snapshots.snapshots.map((s) => plotted(s.utilisationPct)), color: color(0) },
        { label: 'Capacity availability %', values: snapshots.snapshots.map((s) => plotted(s.capacityAvailabilityPct)), color: color(2) },
      ],
    }));
    const p = metrics.pool ?? {};
    return [
      section('Pool now (latest collection)', latest, summary([
        ['Miners up', figure(p.minersUp, 'int', 'pool.minersUp')],
        ['Miners', figure(p.miners, 'int', 'pool.miners')],
        ['GPUs up', figure(p.gpusUp, 'int', 'pool.gpusUp')],
        ['GPUs used', figure(p.gpusUsed, 'int', 'pool.gpusUsed')],
        ['Utilisation', figure(p.utilisationPct, 'pct', 'pool.utilisationPct')],
        ['Capacity availability', figure(p.capacityAvailabilityPct, 'pct', 'pool.capacityAvailabilityPct')],
      ])),
      section('Capacity snapshots', route, chart,
        table('Snapshots', [
          { label: 'At', field: 'at', kind: 'time' },
          { label: 'Miners up', field: 'minersUp', kind: 'int' },
          { label: 'GPUs up', field: 'gpusUp', kind: 'int' },
          { label: 'GPUs used', field: 'gpusUsed', kind: 'int' },
          { label: 'Utilisation', field: 'utilisationPct', kind: 'pct' },
          { label: 'Capacity availability', field: 'capacityAvailabilityPct', kind: 'pct' },
        ], snapshots.snapshots, 'snapshots'),
        snapshots.nextToken ? h('p', { class: 'hint' }, 'The range holds more snapshots than one page; narrow it to see the rest.') : null),
    ];
  });
}

const METRICS = [['', 'Every metric'], ['UPTIME', 'Uptime'], ['RESPONSE_TIME', 'Response time'], ['COMPLETION_RATE', 'Completion rate'], ['CAPACITY', 'Capacity']];

async function sla(body, ctx) {
  const metric = METRICS.some(([v]) => v === ctx.params.get('metric')) ? ctx.params.get('metric') : '';
  const since = isoDay(ctx.params.get('since'), daysAgo(1));
  body.append(optionsForm(ctx, 'sla-form', [field('Metric', select('metric', 'metric', METRICS, metric)),
    field('Violations since (UTC day)', h('input', { id: 'since', name: 'since', type: 'date', value: since }))]));
  const metricsRoute = '/sla/metrics?limit=1000';
  const violationsRoute = path('/sla/violations', { since: startOf(since), metric, limit: 1000 });
  await load(body, async () => {
    const [metrics, violations] = await Promise.all([call(metricsRoute), call(violationsRoute)]);
    const violating = new Set(violations.violations.map((v) => v.minerId).filter(Boolean));
    return [
      section(`SLA per miner (collected ${metrics.collectedAt ?? '—'})`, metricsRoute,
        table('Miners', [
          { label: 'Miner', field: 'minerId', kind: 'text' },
          { label: 'Uptime', field: 'uptime.pct', kind: 'pct' },
          { label: 'Mean response (ms)', field: 'responseTime.meanMs' },
          { label: 'p95 (ms)', field: 'responseTime.p95Ms' },
          { label: 'p99 (ms)', field: 'responseTime.p99Ms' },
          { label: 'Completion', field: 'completion.pct', kind: 'pct' },
          { label: 'GPUs', field: 'capacity.gpus', kind: 'int' },
          { label: 'Up now', render: (m) => (m.capacity && m.capacity.upNow ? 'yes' : 'no') },
          { label: 'Violations', render: (m) => (violating.has(m.minerId) ? h('span', { class: 'badge bad' }, 'in violation') : '') },
        ], metrics.miners, 'miners', (m) => (violating.has(m.minerId) ? 'violation' : null))),
      section('Violations', violationsRoute,
        table('Violations, newest first', [
          { label: 'Collected at', field: 'collectedAt', kind: 'time' },
          { label: 'Subject', field: 'subjectType', kind: 'text' },
          { label: 'Miner', field: 'minerId', kind: 'text' },
          { label: 'Metric', field: 'metric', kind: 'text' },
          { label: 'Value', field: 'value' },
          { label: 'Threshold', field: 'threshold' },
        ], violations.violations, 'violations')),
    ];
  });
}

async function forecast(body) {
  const route = '/sla/capacity/forecast?hours=168';
  const advice = '/sla/capacity/recommendations';
  const history = path('/sla/capacity/snapshots', { from: new Date(Date.now() - 48 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z'), limit: 1000 });
  await load(body, async () => {
    const [answer, recommendations, snapshots] = await Promise.all([call(route), call(advice), call(history)]);
    // the last two days as measured, then the forecast: one time axis, each series empty where it has no value
    const past = snapshots.snapshots;
    const x = [...past.map((s) => epochSeconds(s.at)), ...answer.points.map((p) => epochSeconds(p.time))];
    const ahead = (pick) => [...past.map(() => null), ...answer.points.map(pick)];
    const chart = h('div', { class: 'chart-slot', id: 'forecast-chart' });
    requestAnimationFrame(() => x.length && timeChart(chart, {
      title: `Used GPUs: the last 48 hours, then the forecast with its ${answer.interval} band`, x, yLabel: 'GPUs',
      series: [
        { label: 'Upper bound', values: ahead((p) => plotted(p.usedGpusUpper)), color: '#90cdf4' },
        { label: 'Lower bound', values: ahead((p) => plotted(p.usedGpusLower)), color: '#90cdf4' },
        { label: 'Forecast', values: ahead((p) => plotted(p.usedGpus)), color: color(0) },
        { label: 'Used (measured)', values: [...past.map((s) => s.gpusUsed), ...answer.points.map(() => null)], color: color(1) },
        { label: 'GPUs up now', values: x.map(() => answer.capacityGpus), color: '#c53030', dash: [6, 4] },
      ],
      bands: [[1, 2, 'rgba(66, 153, 225, 0.2)']],
    }));
    const r = recommendations.recommendations;
    return [
      section('Recommendation', advice, r.length
        ? r.map((rec, i) => h('div', { class: `card action-${rec.action.toLowerCase()}` },
          summary([['Action', figure(rec.action, 'text', `recommendations[${i}].action`)],
            ['GPUs', figure(rec.gpus, 'int', `recommendations[${i}].gpus`)],
            ['Peak utilisation', figure(rec.peakUtilisationPct, 'pct', `recommendations[${i}].peakUtilisationPct`)],
            ['Peak at', figure(rec.peakAt, 'time', `recommendations[${i}].peakAt`)],
            ['Confidence', figure(rec.confidence, 'text', `recommendations[${i}].confidence`)]]),
          h('p', { class: 'figure', 'data-path': `recommendations[${i}].reason` }, rec.reason)))
        : h('p', { class: 'hint' }, 'No recommendation yet.')),
      section('Forecast', route,
        summary([['Method', figure(answer.method, 'text', 'method')],
          ['History (hours)', figure(answer.historyHours, 'int', 'historyHours')],
          ['GPUs up', figure(answer.capacityGpus, 'int', 'capacityGpus')],
          ['Interval', figure(answer.interval, 'text', 'interval')],
          ['Confidence', figure(answer.confidence, 'text', 'confidence')],
          ...(answer.backtest ? [
            ['Backtest (hours held out)', figure(answer.backtest.holdoutHours, 'int', 'backtest.holdoutHours')],
            ['Backtest MAPE', figure(answer.backtest.mapePct, 'pct', 'backtest.mapePct')],
            ['Inside the band', figure(answer.backtest.coveragePct, 'pct', 'backtest.coveragePct')]] : [])]),
        chart,
        table('Forecast points', [
          { label: 'Hour', field: 'time', kind: 'time' },
          { label: 'Used GPUs', field: 'usedGpus' },
          { label: 'Lower', field: 'usedGpusLower' },
          { label: 'Upper', field: 'usedGpusUpper' },
          { label: 'Utilisation', field: 'utilisationPct', kind: 'pct' },
        ], answer.points, 'points')),
    ];
  });
}

const QUOTA_FIELDS = ['resource', 'unit', 'period', 'limit', 'softLimitPct', 'hard', 'perMinute', 'burst'];

async function quotas(body, ctx) {
  const tenant = ctx.params.get('tenant') ?? '';
  const text = (id, label, value = '', hint, attrs = {}) => field(label, h('input', { id: `q-${id}`, name: id, value, autocomplete: 'off', ...attrs }), hint);
  const hard = h('input', { id: 'q-hard', name: 'hard', type: 'checkbox' });
  const outcome = h('div', { id: 'quota-outcome', 'aria-live': 'polite' });
  const standing = h('div', { id: 'quota-standing' });
  const form = h('form', { id: 'quota-form', class: 'card', novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(form).entries());
    const request = { resource: values.resource, unit: values.unit, period: values.period, limit: values.limit, hard: hard.checked };
    if (values.softLimitPct) request.softLimitPct = values.softLimitPct;
    if (values.perMinute || values.burst) {
      request.rate = { perMinute: values.perMinute === '' ? null : Number(values.perMinute), burst: values.burst === '' ? null : Number(values.burst) };
    }
    outcome.replaceChildren();
    if (!values.tenant.trim()) {
      showFieldErrors(form, null, QUOTA_FIELDS);
      form.querySelector('#q-tenant-error').textContent = 'tenant is required';
      form.querySelector('#q-tenant').focus();
      return;
    }
    try {
      await call(`/quota/limits/${enc(values.tenant)}`, { method: 'PUT', body: request });
      showFieldErrors(form, null, QUOTA_FIELDS);
      outcome.replaceChildren(h('p', { class: 'ok', role: 'status' }, `Saved the ${request.period} limit of ${request.resource} ${request.unit} for ${values.tenant}.`));
      ctx.go({ tenant: values.tenant, saved: Date.now() });
    } catch (e) {
      if (!showFieldErrors(form, e, QUOTA_FIELDS)) outcome.replaceChildren(errorBox(e));
    }
  } },
  h('h2', null, 'Set a limit'),
  text('tenant', 'Tenant', tenant, null, { required: true }),
  text('resource', 'Resource', 'GPU', 'CPU, GPU, TPU, NPU, LPU, FPGA, WEBGPU, WASM, MEMORY, STORAGE, NETWORK, INFERENCE'),
  text('unit', 'Unit', 'compute_seconds', 'compute_seconds, gb_hours, gb, iops, requests, tokens, flop'),
  field('Period', select('q-period', 'period', [['HOUR', 'Hour'], ['DAY', 'Day'], ['MONTH', 'Month']], 'DAY')),
  text('limit', 'Limit', '', 'A decimal, in the unit'),
  text('softLimitPct', 'Soft mark (% of the limit)', '80'),
  field('Hard limit (refuse use beyond it)', hard),
  text('perMinute', 'Rate: per minute', '', 'Optional token bucket'),
  text('burst', 'Rate: burst', ''),
  h('button', { type: 'submit', id: 'quota-save' }, 'Save limit'));
  body.append(form, outcome, standing);
  if (tenant) {
    const route = `/quota/${enc(tenant)}`;
    await load(standing, async () => {
      const answer = await call(route);
      return section(`Limits of ${tenant}`, route, table('Quotas', [
        { label: 'Resource', field: 'resource', kind: 'text' },
        { label: 'Unit', field: 'unit', kind: 'text' },
        { label: 'Period', field: 'period', kind: 'text' },
        { label: 'Limit', field: 'limit' },
        { label: 'Soft mark', field: 'softLimitPct', kind: 'pct' },
        { label: 'Used', field: 'used' },
        { label: 'Status', field: 'status', kind: 'text' },
      ], answer.quotas, 'quotas'));
    });
  }
}

const STREAMS = [['usage-events', 'Usage events'], ['miner-telemetry', 'Miner telemetry']];

async function rejects(body, ctx) {
  const stream = STREAMS.some(([v]) => v === ctx.params.get('stream')) ? ctx.params.get('stream') : 'usage-events';
  const chosenDay = isoDay(ctx.params.get('day'), day());
  body.append(optionsForm(ctx, 'rejects-form', [field('Stream', select('stream', 'stream', STREAMS, stream)),
    field('Day (UTC)', h('input', { id: 'day', name: 'day', type: 'date', value: chosenDay }))]));
  const route = path(`/rejects/${stream}`, { day: chosenDay, limit: 100, nextToken: ctx.params.get('nextToken') });
  const outcome = h('div', { id: 'replay-outcome', 'aria-live': 'polite' });
  await load(body, async () => {
    const answer = await call(route);
    const boxes = answer.rejects.map((r, i) => h('input', { type: 'checkbox', id: `reject-${i}`, value: r.id, 'aria-label': `Select reject ${r.id}` }));
    const replay = async (ids) => {
      outcome.replaceChildren(h('p', { class: 'hint' }, 'Replaying…'));
      try {
        const result = await call(`/rejects/${stream}/replay`, { method: 'POST', body: { day: chosenDay, limit: 100, ...(ids ? { ids } : {}) } });
        outcome.replaceChildren(section('Replay result', `POST /rejects/${stream}/replay`, summary([
          ['Replayed', figure(result.replayed, 'int', null)],
          ['Still rejected', figure((result.stillRejected ?? []).length, 'int', null)],
          ['Failed', figure(result.failed, 'int', null)],
          ['Not found', figure((result.notFound ?? []).length, 'int', null)]]),
          (result.stillRejected ?? []).length ? table('Still rejected, with their new reasons', [
            { label: 'Reason', field: 'reasonCode', kind: 'text' },
            { label: 'Detail', field: 'reason', kind: 'text', wrap: true },
          ], result.stillRejected, 'stillRejected') : null));
      } catch (e) {
        outcome.replaceChildren(errorBox(e));
      }
    };
    return section(`Rejects of ${stream} on ${chosenDay}`, route,
      table('Rejected records with their reasons', [
        { label: 'Select', render: (r, i) => boxes[i] },
        { label: 'Arrived at', field: 'arrivedAt', kind: 'time' },
        { label: 'Reason', field: 'reasonCode', kind: 'text' },
        { label: 'Detail', field: 'reason', kind: 'text', wrap: true },
        { label: 'Shard', field: 'shardId', kind: 'text' },
        { label: 'Sequence number', field: 'sequenceNumber', kind: 'text' },
        { label: 'Record', render: (r, i) => h('code', { class: 'figure record', 'data-path': `rejects[${i}].data` }, r.data) },
      ], answer.rejects, 'rejects'),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'replay-selected', onclick: () => replay(boxes.filter((b) => b.checked).map((b) => b.value)) }, 'Replay selected'),
        h('button', { type: 'button', id: 'replay-all', onclick: () => replay(null) }, 'Replay all listed'),
        answer.nextToken ? h('button', { type: 'button', id: 'rejects-next', onclick: () => ctx.go({ stream, day: chosenDay, nextToken: answer.nextToken }) }, 'Next page') : null),
      outcome);
  });
}

async function runs(body, ctx) {
  const route = path('/sla/billing/runs', { limit: 50, nextToken: ctx.params.get('nextToken') });
  await load(body, async () => {
    const answer = await call(route);
    return section('Billing sync runs, newest first', route,
      table('Sync runs', [
        { label: 'Ran at', field: 'ranAt', kind: 'time' },
        { label: 'Trigger', field: 'trigger', kind: 'text' },
        { label: 'Hours scanned', field: 'hoursScanned', kind: 'int' },
        { label: 'Records created', field: 'recordsCreated', kind: 'int' },
        { label: 'Adjustments', field: 'adjustments', kind: 'int' },
        { label: 'Synced', field: 'synced', kind: 'int' },
        { label: 'Retried', field: 'retried', kind: 'int' },
        { label: 'Failed', field: 'failed', kind: 'int' },
        { label: 'Deferred', field: 'deferred', kind: 'int' },
        { label: 'Watermark', field: 'watermark', kind: 'time' },
        { label: 'Lag (s)', field: 'lagSeconds', kind: 'int' },
      ], answer.runs, 'runs', (r) => (r.failed > 0 ? 'violation' : null)),
      answer.nextToken ? h('button', { type: 'button', id: 'runs-next', onclick: () => ctx.go({ nextToken: answer.nextToken }) }, 'Next page') : null);
  });
}

export const operatorViews = {
  'ops/top': { title: 'Top consumers', render: top },
  'ops/pool': { title: 'Pool utilisation', render: pool },
  'ops/sla': { title: 'Miner SLA', render: sla },
  'ops/forecast': { title: 'Capacity forecast', render: forecast },
  'ops/quotas': { title: 'Quota editor', render: quotas },
  'ops/rejects': { title: 'Rejects', render: rejects },
  'ops/runs': { title: 'Billing sync runs', render: runs },
};
