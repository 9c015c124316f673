import express, { Router, type Request, type Response } from 'express';
import type { FaultInjector } from '../throttling/fault-injector.ts';
import { aad, sendAadError } from './aadsts-error.ts';
import { authenticateClient } from './client-authentication.ts';
import type { CredentialRegistry } from './credential-registry.ts';
import type { TokenIssuer } from './token-issuer.ts';

export interface TokenRoutesOptions {
  authorityHost: () => string;
  /** Tenant id for a tenant path segment (an id or the tenant's default domain). */
  resolveTenant: (segment: string) => string | undefined;
  registry: CredentialRegistry;
  issuer: TokenIssuer;
  faults: FaultInjector;
  onIssued: (method: string) => void;
  onRejected: (code: number) => void;
}

/**
 * The slice of the Microsoft identity platform that MSAL uses for the client-credentials grant:
 * instance discovery, OpenID metadata, signing keys and the v2.0 token endpoint.
 */
export function tokenRoutes(options: TokenRoutesOptions): Router {
  const router = Router();
  const host = options.authorityHost;

  router.get('/common/discovery/instance', (_req, res) => {
    const authority = new URL(host()).host;
    res.json({
      tenant_discovery_endpoint: `${host()}/common/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [
        { preferred_network: authority, preferred_cache: authority, aliases: [authority] },
      ],
    });
  });

  router.get('/:tenant/v2.0/.well-known/openid-configuration', (req, res) => {
    const segment = req.params.tenant!;
    const tenantId = options.resolveTenant(segment);
    if (!tenantId)
      return sendAadError(res, aad.tenantNotFound(segment), req.get('client-request-id'));
    const base = `${host()}/${segment}`;
    res.json({
      issuer: `${host()}/${tenantId}/v2.0`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      jwks_uri: `${host()}/${tenantId}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: [
        'client_secret_post',
        'private_key_jwt',
        'client_secret_basic',
      ],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid', 'oid', 'roles'],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      request_uri_parameter_supported: false,
    });
  });

  router.get('/:tenant/discovery/v2.0/keys', (_req, res) => {
    res.json(options.issuer.jwks);
  });

  router.post(
    '/:tenant/oauth2/v2.0/token',
    options.faults.middleware('token', (req, res) =>
      sendAadError(res, aad.unavailable(), req.get('client-request-id')),
    ),
    express.urlencoded({ extended: false, limit: '64kb' }),
    (req: Request, res: Response) => {
      const correlationId = req.get('client-request-id');
      const segment = req.params.tenant as string;
      const tenantId = options.resolveTenant(segment);
      if (!tenantId) {
        options.onRejected(90002);
        return sendAadError(res, aad.tenantNotFound(segment), correlationId);
      }
      const form = (req.body ?? {}) as Record<string, string | undefined>;
      const endpoint = `${host()}/${segment}/oauth2/v2.0/token`;
      const result = authenticateClient(form, tenantId, endpoint, options.registry);
      if (!result.ok) {
        options.onRejected(result.failure.code);
        return sendAadError(res, result.failure, correlationId);
      }
      const { token, expiresIn } = options.issuer.issue(result.app);
      options.onIssued(result.method);
      res.setHeader('Cache-Control', 'no-store');
      if (correlationId) res.setHeader('client-request-id', correlationId);
      res.json({
        token_type: 'Bearer',
        expires_in: expiresIn,
        ext_expires_in: expiresIn,
        access_token: token,
      });
    },
  );

  return router;
}
