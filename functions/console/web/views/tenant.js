// The tenant's views: live usage, cost trend with anomalies, quota standing, the month's invoice and
// the billing sync status of its records. An admin sees them for any tenant it picks.
import { call, path } from '../api.js';
import { h, figure, table, section, summary, field, dig } from '../dom.js';
import { timeChart, stacked, color } from '../charts.js';
import { epochSeconds, plotted, minute, month, csv } from '../format.js';
import { chosenTenant, load, enc, optionsForm, select } from './common.js';

const LIVE_REFRESH_MS = 30000;

function live(body, ctx) {
  const tenant = chosenTenant(body, ctx);
  if (!tenant) return null;
  const status = h('p', { class: 'hint', id: 'live-status', 'aria-live': 'polite' });
  const slot = h('div');
  const now = h('button', { type: 'button', id: 'live-refresh' }, 'Refresh now');
  body.append(h('div', { class: 'actions' }, now), status, slot);
  const refresh = async () => {
    const now = new Date();
    const from = minute(new Date(now.getTime() - 3600 * 1000));
    const to = now.toISOString().replace(/\.\d+Z$/, 'Z');
    const route = path(`/usage/${enc(tenant)}`, { granularity: 'MINUTE', from, to, limit: 1000 });
    const nodes = await load(h('div'), async () => {
      const answer = await call(route);
      return liveSection(answer, route, from);
    });
    slot.replaceChildren(nodes);
    slot.dataset.refreshedAt = to;
    status.textContent = `Minute windows of the last hour; refreshed ${to.replace('T', ' ').replace('Z', ' UTC')}, every ${LIVE_REFRESH_MS / 1000} s.`;
  };
  now.addEventListener('click', () => refresh());
  return refresh().then(() => {
    const timer = window.setInterval(refresh, LIVE_REFRESH_MS);
    return () => window.clearInterval(timer);
  });
}

function liveSection(answer, route, from) {
  const start = epochSeconds(from);
  const x = Array.from({ length: 61 }, (_, i) => start + 60 * i);
  const keys = [...new Set(answer.lines.map((l) => `${l.resource} ${l.unit}`))];
  // one chart per resource and unit (their scales differ); a minute without a line used nothing
  const series = keys.map((key, i) => {
    const byMinute = new Map(answer.lines.filter((l) => `${l.resource} ${l.unit}` === key)
      .map((l) => [epochSeconds(l.windowStart), plotted(l.quantity)]));
    return { label: key, values: x.map((t) => byMinute.get(t) ?? 0), color: color(i) };
  });
  const chart = h('div', { class: 'chart-slot' });
  const out = section('Usage per minute', route,
    summary([
      ['Cost (USD)', figure(answer.totals.usd, 'usd', 'totals.usd')],
      ['Cost (tokens)', figure(answer.totals.tokens, 'tokens', 'totals.tokens')],
      ['Totals over', figure(answer.totals.scope, 'text', 'totals.scope')],
    ]),
    chart,
    table('Minute windows', [
      { label: 'Window start', field: 'windowStart', kind: 'time' },
      { label: 'Resource', field: 'resource', kind: 'text' },
      { label: 'Unit', field: 'unit', kind: 'text' },
      { label: 'Quantity', field: 'quantity' },
      { label: 'Rate (USD)', field: 'rate' },
      { label: 'Cost (USD)', field: 'cost', kind: 'usd' },
    ], answer.lines, 'lines'),
    answer.nextToken ? h('p', { class: 'hint' }, 'More lines than one page: the hour view has them all.') : null);
  requestAnimationFrame(() => series.forEach((one) => timeChart(chart, { title: `${one.label} per minute`, x, series: [one], height: 170 })));
  return out;
}

async function costs(body, ctx) {
  const tenant = chosenTenant(body, ctx);
  if (!tenant) return;
  const days = ctx.params.get('days') === '90' ? '90' : '30';
  body.append(optionsForm(ctx, 'costs-form', field('Days', select('days', 'days', [['30', 'Last 30 days'], ['90', 'Last 90 days']], days))));
  const trendRoute = path(`/usage/${enc(tenant)}/trend`, { days });
  const anomalyRoute = path(`/usage/${enc(tenant)}/anomalies`, { days });
  await load(body, async () => {
    const [trend, anomalies] = await Promise.all([call(trendRoute), call(anomalyRoute)]);
    const resources = Object.keys(trend.byResource ?? {}).sort();
    const flagged = new Set(anomalies.anomalies.map((a) => a.date));
    const x = trend.series.map((d) => epochSeconds(d.date));
    const tops = stacked(resources.map((r) => trend.series.map((d) => plotted(d.byResource[r] ?? '0'))));
    const series = resources.map((r, i) => ({ label: `${r} (stacked)`, values: tops[i], color: color(i), fill: `${color(i)}33` }));
    series.push({ label: 'Anomaly', values: trend.series.map((d) => (flagged.has(d.date) ? plotted(d.costUsd) : null)), points: true });
    const chart = h('div', { class: 'chart-slot' });
    requestAnimationFrame(() => timeChart(chart, { title: 'Daily cost (USD), stacked by resource', x, series, yLabel: 'USD' }));
    return [
      section('Cost trend', trendRoute,
        summary([['Total (USD)', figure(trend.totalUsd, 'usd', 'totalUsd')],
          ...resources.map((r) => [r, figure(trend.byResource[r], 'usd', `byResource.${r}`)])]),
        chart,
        table('Cost per day', [
          { label: 'Day', field: 'date', kind: 'text' },
          { label: 'Cost (USD)', field: 'costUsd', kind: 'usd' },
          ...resources.map((r) => ({ label: r, numeric: true, render: (d, i) => figure(d.byResource[r] ?? null, 'usd', `series[${i}].byResource.${r}`) })),
          { label: 'Anomaly', render: (d) => (flagged.has(d.date) ? h('span', { class: 'badge warn' }, 'anomaly') : '') },
        ], trend.series, 'series')),
      section('Anomalies', anomalyRoute,
        summary([['Days analysed', figure(anomalies.daysAnalysed, 'int', 'daysAnalysed')]]),
        table('Outlier days', [
          { label: 'Day', field: 'date', kind: 'text' },
          { label: 'Cost (USD)', field: 'costUsd', kind: 'usd' },
          { label: 'Direction', field: 'direction', kind: 'text' },
          { label: 'z-score', field: 'zScore' },
          { label: 'IQR score', field: 'iqrScore' },
        ], anomalies.anomalies, 'anomalies')),
    ];
  });
}

function meter(q) {
  // a bar for the eye only: the figures beside it are the API's
  const limit = plotted(q.limit);
  const used = plotted(q.used);
  const share = limit > 0 ? Math.min(1, used / limit) : 1;
  const bar = h('div', { class: `meter ${q.status.toLowerCase()}`, 'aria-hidden': 'true' },
    h('div', { class: 'fill' }), h('div', { class: 'soft' }), h('div', { class: 'hard' }));
  bar.firstChild.style.width = `${(share * 100).toFixed(1)}%`;
  bar.children[1].style.left = `${Math.min(100, plotted(q.softLimitPct ?? '100'))}%`;
  return bar;
}

async function quota(body, ctx) {
  const tenant = chosenTenant(body, ctx);
  if (!tenant) return;
  const route = `/quota/${enc(tenant)}`;
  await load(body, async () => {
    const answer = await call(route);
    const rate = answer.rate;
    return section('Quota standing', route,
      table('Quotas per period', [
        { label: 'Resource', field: 'resource', kind: 'text' },
        { label: 'Unit', field: 'unit', kind: 'text' },
        { label: 'Period', field: 'period', kind: 'text' },
        { label: 'Used', field: 'used' },
        { label: 'Limit', field: 'limit' },
        { label: 'Remaining', field: 'remaining' },
        { label: 'Soft mark (%)', field: 'softLimitPct', kind: 'pct' },
        { label: 'Hard', render: (q, i) => figure(q.hard ? 'hard' : 'soft', 'text', null) },
        { label: 'Standing', render: (q) => meter(q) },
        { label: 'Status', field: 'status', kind: 'text' },
        { label: 'Resets at', field: 'resetAt', kind: 'time' },
      ], answer.quotas, 'quotas', (q) => `status-${q.status.toLowerCase()}`),
      rate ? summary(Object.entries(rate).map(([k, v]) => [`Rate ${k}`, figure(v, typeof v === 'string' && !/^-?\d/.test(v) ? 'text' : 'decimal', `rate.${k}`)]))
        : h('p', { class: 'hint' }, 'No rate limit.'));
  });
}

function invoiceCsv(invoice) {
  const rows = [['invoiceId', 'month', 'status', 'kind', 'usageMonth', 'resource', 'unit', 'quantity', 'unitRate', 'tier', 'costUsd']];
  for (const line of invoice.lines) {
    rows.push([invoice.invoiceId, invoice.month, invoice.status, line.kind, line.usageMonth, line.resource, line.unit,
      line.quantity, line.unitRate, line.tier, line.costUsd]);
  }
  rows.push([invoice.invoiceId, invoice.month, invoice.status, 'ADJUSTMENTS', '', '', '', '', '', '', invoice.adjustmentsUsd]);
  rows.push([invoice.invoiceId, invoice.month, invoice.status, 'TOTAL_USD', '', '', '', '', '', '', invoice.totalUsd]);
  rows.push([invoice.invoiceId, invoice.month, invoice.status, 'TOTAL_TOKENS', '', '', '', '', '', '', invoice.totalTokens]);
  return csv(rows);
}

function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const link = h('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function invoice(body, ctx) {
  const tenant = chosenTenant(body, ctx);
  if (!tenant) return;
  const chosen = /^\d{4}-\d{2}$/.test(ctx.params.get('month') ?? '') ? ctx.params.get('month') : month();
  body.append(optionsForm(ctx, 'invoice-form', field('Month', h('input', { id: 'month', name: 'month', type: 'month', value: chosen }))));
  const route = `/invoices/${enc(tenant)}/${chosen}`;
  await load(body, async () => {
    const answer = await call(route);
    return section(`Invoice ${answer.invoiceId}`, route,
      summary([
        ['Status', figure(answer.status, 'text', 'status')],
        ['Total (USD)', figure(answer.totalUsd, 'usd', 'totalUsd')],
        ['Total (tokens)', figure(answer.totalTokens, 'tokens', 'totalTokens')],
        ['Adjustments (USD)', figure(answer.adjustmentsUsd, 'usd', 'adjustmentsUsd')],
        ['USD per token', figure(dig(answer, 'tokenPrice.usdPerToken'), 'decimal', 'tokenPrice.usdPerToken')],
        ['Generated at', figure(answer.generatedAt, 'time', 'generatedAt')],
      ]),
      table('Invoice lines', [
        { label: 'Kind', field: 'kind', kind: 'text' },
        { label: 'Usage month', field: 'usageMonth', kind: 'text' },
        { label: 'Resource', field: 'resource', kind: 'text' },
        { label: 'Unit', field: 'unit', kind: 'text' },
        { label: 'Quantity', field: 'quantity' },
        { label: 'Unit rate (USD)', field: 'unitRate' },
        { label: 'Tier', field: 'tier', kind: 'int' },
        { label: 'Cost (USD)', field: 'costUsd', kind: 'usd' },
      ], answer.lines, 'lines'),
      h('button', { type: 'button', id: 'invoice-csv', onclick: () => download(`invoice-${answer.invoiceId.replace('/', '-')}.csv`, invoiceCsv(answer)) },
        'Download CSV'));
  });
}

async function billing(body, ctx) {
  const tenant = chosenTenant(body, ctx);
  if (!tenant) return;
  const query = { tenant, from: ctx.params.get('from'), to: ctx.params.get('to'), limit: 100, nextToken: ctx.params.get('nextToken') };
  const route = path('/sla/billing/usage', query);
  await load(body, async () => {
    const answer = await call(route);
    return section('Billing records and their sync status', route,
      h('p', { class: 'hint' }, 'Records sent to the marketplace billing API, each with its idempotency key: a record is billed once.'),
      table('Billing records', [
        { label: 'Period start', field: 'periodStart', kind: 'time' },
        { label: 'Metric', field: 'metric', kind: 'text' },
        { label: 'Quantity', field: 'quantity' },
        { label: 'Kind', field: 'kind', kind: 'text' },
        { label: 'Revision', field: 'revision', kind: 'int' },
        { label: 'Status', field: 'status', kind: 'text' },
        { label: 'Attempts', field: 'attempts', kind: 'int' },
        { label: 'Updated at', field: 'updatedAt', kind: 'time' },
      ], answer.records, 'records', (r) => `status-${String(r.status).toLowerCase()}`),
      answer.nextToken ? h('button', { type: 'button', id: 'billing-next', onclick: () => ctx.go({ ...Object.fromEntries(ctx.params), tenant, nextToken: answer.nextToken }) }, 'Next page') : null);
  });
}

export const tenantViews = {
  live: { title: 'Live usage', render: live },
  costs: { title: 'Cost trend', render: costs },
  quota: { title: 'Quotas', render: quota },
  invoice: { title: 'Invoice', render: invoice },
  billing: { title: 'Billing sync', render: billing },
};
