import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export interface GraphErrorDetail {
  code: string;
  message: string;
  target?: string;
}

/**
 * Every Graph answer carries `request-id` and echoes the caller's `client-request-id` (Graph
 * invents one equal to the request id when the caller sent none).
 */
export function requestIds(req: Request, res: Response, next: NextFunction): void {
  const requestId = randomUUID();
  const clientRequestId = req.get('client-request-id') ?? requestId;
  res.locals.requestId = requestId;
  res.locals.clientRequestId = clientRequestId;
  res.setHeader('request-id', requestId);
  res.setHeader('client-request-id', clientRequestId);
  next();
}

/** Graph's error JSON: `{ error: { code, message, innerError: { date, request-id, ... } } }`. */
export function sendGraphError(
  res: Response,
  status: number,
  code: string,
  message: string,
  details?: GraphErrorDetail[],
): void {
  res.status(status).json({
    error: {
      code,
      message,
      ...(details && details.length > 0 ? { details } : {}),
      innerError: {
        date: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        'request-id': res.locals.requestId as string,
        'client-request-id': res.locals.clientRequestId as string,
      },
    },
  });
}
