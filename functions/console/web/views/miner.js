// The miner's own view: its SLA figures over the last 24 hours.
import { call } from '../api.js';
import { figure, section, summary } from '../dom.js';
import { load, enc } from './common.js';

async function mine(body, ctx) {
  const route = `/sla/metrics/${enc(ctx.params.get('minerId') || ctx.caller.principal)}?window=PT24H`;
  await load(body, async () => {
    const m = await call(route);
    return section(`SLA of ${m.minerId}, last 24 hours`, route, summary([
      ['Uptime', figure(m.uptime.pct, 'pct', 'uptime.pct')],
      ['Mean response (ms)', figure(m.responseTime.meanMs, 'decimal', 'responseTime.meanMs')],
      ['p95 response (ms)', figure(m.responseTime.p95Ms, 'decimal', 'responseTime.p95Ms')],
      ['p99 response (ms)', figure(m.responseTime.p99Ms, 'decimal', 'responseTime.p99Ms')],
      ['Completion', figure(m.completion.pct, 'pct', 'completion.pct')],
      ['Jobs succeeded', figure(m.completion.succeeded, 'int', 'completion.succeeded')],
      ['GPUs', figure(m.capacity.gpus, 'int', 'capacity.gpus')],
    ]));
  });
}

export const minerViews = {
  'miner/sla': { title: 'My SLA', render: mine },
};
