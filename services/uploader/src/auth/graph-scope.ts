export const graphScope = 'https://graph.microsoft.com/.default';

/**
 * Microsoft Graph's hosts: the public cloud and the national clouds. A token for one is refused
 * by the others, so the scope follows the Graph host a tenant is configured with.
 */
const graphHosts = new Set([
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'microsoftgraph.chinacloudapi.cn',
]);

/**
 * The token scope for a Graph base URL: that cloud's `/.default` for a Microsoft Graph host, and
 * the public cloud's for anything else (a proxy in front of Graph, or the Entra emulator, which
 * issues tokens for the public audience), unless the configuration names one.
 */
export function graphScopeFor(graphBaseUrl: string, configured?: string): string {
  if (configured !== undefined) return configured;
  const { host, origin } = new URL(graphBaseUrl);
  return graphHosts.has(host.toLowerCase()) ? `${origin}/.default` : graphScope;
}
