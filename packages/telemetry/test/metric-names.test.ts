import { afterEach, describe, expect, test } from '@jest/globals';
import { metrics } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { count, observeGauge, record } from '../src/instruments.ts';
import { metricSpecs, prometheusSeries, type MetricSpec } from '../src/metric-names.ts';

/** Records one value of every metric through the real SDK and serialises it as Prometheus does. */
async function scrape(): Promise<string> {
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [exporter] });
  metrics.setGlobalMeterProvider(provider);
  const stops: (() => void)[] = [];
  for (const spec of Object.values(metricSpecs) as MetricSpec[]) {
    const labels = Object.fromEntries(spec.labels.map((label) => [label, 'x']));
    if (spec.kind === 'counter') count(spec as MetricSpec & { kind: 'counter' }, labels);
    if (spec.kind === 'histogram') record(spec as MetricSpec & { kind: 'histogram' }, 3, labels);
    if (spec.kind === 'gauge') {
      stops.push(observeGauge(spec as MetricSpec & { kind: 'gauge' }, () => [[7, labels]]));
    }
  }
  const { resourceMetrics } = await exporter.collect();
  for (const stop of stops) stop();
  await provider.shutdown();
  return new PrometheusSerializer().serialize(resourceMetrics);
}

afterEach(() => metrics.disable());

describe('metric names', () => {
  test('prometheusSeries names exactly what the Prometheus exporter serves', async () => {
    const text = await scrape();
    const served = new Set(
      text
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('#'))
        .map((line) => line.split(/[{ ]/)[0]!)
        .filter((name) => name.startsWith('tributary_')),
    );
    const expected = new Set(
      (Object.values(metricSpecs) as MetricSpec[]).flatMap((spec) => prometheusSeries(spec)),
    );
    expect([...served].sort()).toEqual([...expected].sort());
  });

  test('every name is tributary.*, and no label could carry a person or a request', () => {
    for (const spec of Object.values(metricSpecs) as MetricSpec[]) {
      expect(spec.name).toMatch(/^tributary\.[a-z_.]+$/);
      for (const label of spec.labels) {
        expect(label).not.toMatch(/worker|employee|request_id|email|name|user/);
      }
    }
  });

  test('a metric recorded before the SDK starts is not lost once it does', async () => {
    metrics.disable();
    const early = { ...metricSpecs.quotaUsed };
    const stop = observeGauge(early, () => [[42, { tenant: 'contoso' }]]);
    const exporter = new PrometheusExporter({ preventServerStart: true });
    const provider = new MeterProvider({ readers: [exporter] });
    metrics.setGlobalMeterProvider(provider);
    const { rebindGauges } = await import('../src/instruments.ts');
    rebindGauges();
    const { resourceMetrics } = await exporter.collect();
    stop();
    await provider.shutdown();
    expect(new PrometheusSerializer().serialize(resourceMetrics)).toMatch(
      /tributary_quota_used\{[^}]*tenant="contoso"[^}]*\} 42/,
    );
  });
});
