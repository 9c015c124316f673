import { describe, expect, test } from '@jest/globals';
import { graphScope, graphScopeFor } from '../../src/auth/graph-scope.ts';

describe('graphScopeFor', () => {
  test.each([
    ['https://graph.microsoft.com', 'https://graph.microsoft.com/.default'],
    ['https://graph.microsoft.us/', 'https://graph.microsoft.us/.default'],
    ['https://dod-graph.microsoft.us', 'https://dod-graph.microsoft.us/.default'],
    ['https://microsoftgraph.chinacloudapi.cn', 'https://microsoftgraph.chinacloudapi.cn/.default'],
    // The emulator, or a proxy in front of the public cloud.
    ['https://127.0.0.1:8443', graphScope],
  ])('%s', (graphBaseUrl, scope) => {
    expect(graphScopeFor(graphBaseUrl)).toBe(scope);
  });

  test('a configured scope wins', () => {
    expect(graphScopeFor('https://127.0.0.1:8443', 'api://custom/.default')).toBe(
      'api://custom/.default',
    );
  });
});
