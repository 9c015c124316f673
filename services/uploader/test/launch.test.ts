import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { uploaderEnv, uploaderNodeFlags } from '../src/launch.ts';

describe('the uploader launch', () => {
  test('the package start script starts the uploader with its env and flags', () => {
    const { scripts } = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { scripts: { start: string } };
    const env = Object.entries(uploaderEnv).map(([name, value]) => `${name}=${value}`);
    const command = [...env, 'node', ...uploaderNodeFlags];
    expect(scripts.start).toBe(
      `${command.join(' ')} --import @tributary/telemetry/register src/main.ts`,
    );
  });

  test('its node flags cap the young generation through an allocation burst', () => {
    // Many short-lived objects, some kept a while: the pattern that grows the young generation.
    const burst = `
      const kept = [];
      for (let i = 0; i < 6e6; i++) {
        const o = { i, s: 'x' + i };
        if (i % 10 === 0) kept.push(o);
        if (kept.length > 50000) kept.length = 0;
      }
      const spaces = require('node:v8').getHeapSpaceStatistics();
      const space = spaces.find((s) => s.space_name === 'new_space');
      console.log(space.space_size);`;
    const youngBytes = (flags: readonly string[]) =>
      Number(execFileSync(process.execPath, [...flags, '-e', burst], { encoding: 'utf8' }));

    // Two semi-spaces of 16 MB; left alone, V8 grows to 128 MB on the same burst. (A shorter
    // burst reached 64 MB, but only 32 on a busy machine: the control must not depend on that.)
    expect(youngBytes(uploaderNodeFlags)).toBeLessThanOrEqual(32 * 1024 * 1024);
    expect(youngBytes([])).toBeGreaterThan(32 * 1024 * 1024);
  });

  test('its second start finds every module compiled and never loads the type stripper', () => {
    // The cache directory is relative to the working directory, so a scratch one gets its own.
    const cwd = mkdtempSync(join(tmpdir(), 'uploader-launch-'));
    const loadsStripper = () => {
      const graph = `
        await import(${JSON.stringify(import.meta.resolve('../src/index.ts'))});
        console.log(process.moduleLoadList.some((name) => name.includes('deps/amaro')));`;
      const flags = [
        ...uploaderNodeFlags,
        '--import',
        import.meta.resolve('@tributary/telemetry/register'),
      ];
      const output = execFileSync(
        process.execPath,
        [...flags, '--input-type=module', '-e', graph],
        {
          cwd,
          env: { PATH: process.env.PATH, ...uploaderEnv },
          encoding: 'utf8',
        },
      );
      return output.trim().split('\n').at(-1);
    };
    try {
      expect(loadsStripper()).toBe('true');
      expect(loadsStripper()).toBe('false');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});
