import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { adapterNodeFlags } from '../../src/runtime/launch.ts';

const adapters = ['bamboohr', 'hibob', 'merge', 'standard-webhooks'];

describe('the adapter launch', () => {
  test.each(adapters)('adapter-%s starts with the launch flags and the telemetry hook', (name) => {
    const manifest = new URL(`../../../../services/adapter-${name}/package.json`, import.meta.url);
    const { scripts } = JSON.parse(readFileSync(manifest, 'utf8')) as {
      scripts: { start: string };
    };
    expect(scripts.start).toBe(
      `node ${adapterNodeFlags.join(' ')} --import @tributary/telemetry/register src/main.ts`,
    );
  });
});
