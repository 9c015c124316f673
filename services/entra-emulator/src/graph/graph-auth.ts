import type { Request, Response } from 'express';
import type { AccessTokenClaims, TokenIssuer } from '../auth/token-issuer.ts';
import type { ServicePrincipalRef } from '../provisioning/provisioning-job.ts';
import { sendGraphError } from './graph-response.ts';

/** The bearer token's claims, or undefined after answering 401 the way Graph does. */
export function authenticate(
  req: Request,
  res: Response,
  issuer: TokenIssuer,
): AccessTokenClaims | undefined {
  const check = issuer.check(req.get('authorization'));
  if (check.ok) return check.claims;
  res.setHeader(
    'WWW-Authenticate',
    'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"',
  );
  sendGraphError(res, 401, 'InvalidAuthenticationToken', check.message);
  return undefined;
}

/**
 * Whether the token grants one of `anyOf`, or one of `ownedBy` on a service principal whose
 * application the caller owns (the `.OwnedBy` permission family).
 */
export function permits(
  claims: AccessTokenClaims,
  anyOf: readonly string[],
  ownedBy: readonly string[],
  servicePrincipal: ServicePrincipalRef | undefined,
): boolean {
  const roles = claims.roles ?? [];
  if (anyOf.some((role) => roles.includes(role))) return true;
  if (!servicePrincipal || !servicePrincipal.ownerAppIds.includes(claims.appid)) return false;
  return ownedBy.some((role) => roles.includes(role));
}

export function forbid(res: Response): void {
  sendGraphError(
    res,
    403,
    'Authorization_RequestDenied',
    'Insufficient privileges to complete the operation.',
  );
}
