export { attributes } from './attributes.ts';
export { count, observeGauge, record, type Labels } from './instruments.ts';
export {
  metricSpecs,
  prometheusName,
  prometheusSeries,
  type MetricKey,
  type MetricSpec,
} from './metric-names.ts';
export { packageVersion } from './package-version.ts';
export { recordSpanError } from './span-errors.ts';
export { startTelemetry, type Telemetry, type TelemetryOptions } from './start-telemetry.ts';
export { urlTemplateOf, withUrlTemplate } from './url-template.ts';
export { localHashKey, workerRefKey } from './worker-ref-key.ts';
