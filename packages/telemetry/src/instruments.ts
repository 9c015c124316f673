import {
  metrics,
  type Attributes,
  type Counter,
  type Histogram,
  type MeterProvider,
  type ObservableGauge,
  type ObservableResult,
} from '@opentelemetry/api';
import type { MetricSpec } from './metric-names.ts';

export type Labels = Record<string, string | number>;

/** Seconds-based buckets for request latencies, from 5 ms to 2 minutes. */
const secondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Buckets for batch sizes: Entra takes at most 50 operations, Kafka batches can be larger. */
const sizeBuckets = [1, 2, 5, 10, 20, 30, 40, 50, 100, 250, 500];

interface Gauge {
  spec: MetricSpec;
  observe: () => Iterable<readonly [number, Labels]>;
  bound?: { gauge: ObservableGauge; callback: (result: ObservableResult) => void };
}

/*
 * The metrics API has no proxy provider: an instrument made before the SDK starts stays a no-op.
 * So instruments are made from whichever provider is global at the time of use, and gauges are
 * kept in a registry and bound again when `startTelemetry` installs a provider.
 */
let provider: MeterProvider | undefined;
const counters = new Map<string, Counter>();
const histograms = new Map<string, Histogram>();
const gauges = new Set<Gauge>();

function meter() {
  const current = metrics.getMeterProvider();
  if (current !== provider) {
    provider = current;
    counters.clear();
    histograms.clear();
  }
  return current.getMeter('@tributary/telemetry');
}

function options(spec: MetricSpec) {
  return { description: spec.description, unit: spec.unit };
}

/** Adds to a counter. */
export function count(spec: MetricSpec & { kind: 'counter' }, labels: Labels, value = 1): void {
  const m = meter();
  let counter = counters.get(spec.name);
  if (!counter) {
    counter = m.createCounter(spec.name, options(spec));
    counters.set(spec.name, counter);
  }
  counter.add(value, labels as Attributes);
}

/** Records one value of a histogram. */
export function record(
  spec: MetricSpec & { kind: 'histogram' },
  value: number,
  labels: Labels,
): void {
  const m = meter();
  let histogram = histograms.get(spec.name);
  if (!histogram) {
    histogram = m.createHistogram(spec.name, {
      ...options(spec),
      advice: { explicitBucketBoundaries: spec.unit === 's' ? secondsBuckets : sizeBuckets },
    });
    histograms.set(spec.name, histogram);
  }
  histogram.record(value, labels as Attributes);
}

/**
 * Reports a gauge's values whenever metrics are collected. `observe` yields one value per label
 * set; it runs on every scrape and export, so it must be cheap. Returns the way to stop.
 */
export function observeGauge(
  spec: MetricSpec & { kind: 'gauge' },
  observe: () => Iterable<readonly [number, Labels]>,
): () => void {
  const gauge: Gauge = { spec, observe };
  gauges.add(gauge);
  bind(gauge);
  return () => {
    gauges.delete(gauge);
    gauge.bound?.gauge.removeCallback(gauge.bound.callback);
  };
}

/** Binds every registered gauge to the provider now global; `startTelemetry` calls it. */
export function rebindGauges(): void {
  for (const gauge of gauges) bind(gauge);
}

function bind(gauge: Gauge): void {
  gauge.bound?.gauge.removeCallback(gauge.bound.callback);
  const instrument = meter().createObservableGauge(gauge.spec.name, options(gauge.spec));
  const callback = (result: ObservableResult) => {
    for (const [value, labels] of gauge.observe()) result.observe(value, labels as Attributes);
  };
  instrument.addCallback(callback);
  gauge.bound = { gauge: instrument, callback };
}
