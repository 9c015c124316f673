import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { metricSpecs, prometheusSeries, type MetricSpec } from '../src/metric-names.ts';

/*
 * The dashboard and the alert rules that ship under deploy/ must name metrics the code exports:
 * renaming one in metric-names.ts without them fails here.
 */
const root = resolve(import.meta.dirname, '../../..');
const dashboardPath = resolve(root, 'deploy/grafana/dashboards/tributary.json');
const alertsPath = resolve(root, 'deploy/prometheus/alerts.yml');
const specs = Object.values(metricSpecs) as MetricSpec[];
const exported = new Set(specs.flatMap((spec) => prometheusSeries(spec)));

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}

function dashboardExprs(): { where: string; expr: string }[] {
  const dashboard = JSON.parse(readFileSync(dashboardPath, 'utf8')) as { panels: Panel[] };
  const flat = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...flat(p.panels ?? [])]);
  return flat(dashboard.panels).flatMap((panel) =>
    (panel.targets ?? []).map(({ expr }) => ({ where: `panel "${panel.title}"`, expr })),
  );
}

function alertExprs(): { where: string; expr: string }[] {
  const file = parse(readFileSync(alertsPath, 'utf8')) as {
    groups: { rules: { alert: string; expr: string }[] }[];
  };
  return file.groups.flatMap((group) =>
    group.rules.map((rule) => ({ where: `alert ${rule.alert}`, expr: String(rule.expr) })),
  );
}

const metricsIn = (expr: string) => expr.match(/\btributary_[a-z0-9_]+/g) ?? [];

describe('deploy/ files against the exported metrics', () => {
  test('every metric a dashboard panel queries is exported', () => {
    const exprs = dashboardExprs();
    expect(exprs.length).toBeGreaterThan(10);
    const unknown = exprs.flatMap(({ where, expr }) =>
      metricsIn(expr)
        .filter((name) => !exported.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  test('the dashboard shows every exported metric', () => {
    const shown = new Set(dashboardExprs().flatMap(({ expr }) => metricsIn(expr)));
    const missing = specs.filter((spec) => !prometheusSeries(spec).some((name) => shown.has(name)));
    expect(missing.map((spec) => spec.name)).toEqual([]);
  });

  test('every metric an alert rule uses is exported, and the required alerts exist', () => {
    const exprs = alertExprs();
    const unknown = exprs.flatMap(({ where, expr }) =>
      metricsIn(expr)
        .filter((name) => !exported.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
    const used = new Set(exprs.flatMap(({ expr }) => metricsIn(expr)));
    for (const spec of [
      metricSpecs.recordsDeadLettered,
      metricSpecs.quotaRemaining,
      metricSpecs.consumerLag,
      metricSpecs.webhooksRefused,
      metricSpecs.bulkRequests,
      metricSpecs.managersUnresolved,
    ]) {
      expect(used).toContain(prometheusSeries(spec)[0]);
    }
  });

  // promtool comes from Debian's prometheus package; scripts/test-deps.sh installs it.
  test('promtool accepts the alert rules and the Prometheus configuration', () => {
    for (const args of [
      ['check', 'rules', alertsPath],
      ['check', 'config', resolve(root, 'deploy/prometheus/prometheus.yml')],
    ]) {
      const run = spawnSync('promtool', args, { encoding: 'utf8' });
      if (run.error) {
        throw new Error(`promtool is required (run scripts/test-deps.sh): ${run.error.message}`);
      }
      expect({ args, status: run.status, output: run.stdout + run.stderr }).toMatchObject({
        status: 0,
      });
    }
  });
});
