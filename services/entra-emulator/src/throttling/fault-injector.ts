import { setTimeout as delay } from 'node:timers/promises';
import type { Request, RequestHandler, Response } from 'express';
import type { FaultConfig, FaultRoute } from '../config/emulator-config.ts';

export interface FaultCounters {
  delayed: number;
  dropped: number;
  serverErrors: number;
}

/** mulberry32: a small, fast PRNG, so a seeded run injects the same faults in the same order. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Injects the failures a client must survive: added latency, dropped connections (the socket is
 * destroyed without an answer) and 503s, optionally with Retry-After. Settings are read on every
 * call so a test can change them on a running emulator.
 */
export class FaultInjector {
  readonly counters: FaultCounters = { delayed: 0, dropped: 0, serverErrors: 0 };
  readonly #settings: () => FaultConfig;
  #random: () => number;

  constructor(settings: () => FaultConfig) {
    this.#settings = settings;
    this.#random = seededRandom(settings().seed ?? Math.floor(Math.random() * 2 ** 32));
  }

  reseed(seed: number): void {
    this.#random = seededRandom(seed);
  }

  middleware(
    route: FaultRoute,
    serverError: (req: Request, res: Response, retryAfterSeconds: number | undefined) => void,
  ): RequestHandler {
    return async (req, res, next) => {
      const settings = this.#settings();
      if (!settings.routes.includes(route)) return next();

      const latency =
        settings.latencyMs + Math.floor(this.#random() * (settings.latencyJitterMs + 1));
      if (settings.latencyMs > 0 || settings.latencyJitterMs > 0) {
        this.counters.delayed += 1;
        await delay(latency);
      }
      if (settings.dropConnectionRate > 0 && this.#random() < settings.dropConnectionRate) {
        this.counters.dropped += 1;
        req.socket.destroy();
        return;
      }
      if (settings.serverErrorRate > 0 && this.#random() < settings.serverErrorRate) {
        this.counters.serverErrors += 1;
        const retryAfter = settings.serverErrorRetryAfterSeconds;
        if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
        serverError(req, res, retryAfter);
        return;
      }
      next();
    };
  }
}
