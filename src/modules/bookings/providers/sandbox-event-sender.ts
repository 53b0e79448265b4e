import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import { SIGNATURE_HEADER, signPayload } from '../provider-events/signature.js';

/** An event as a provider sends it (the body of `POST /providers/:provider/events`). */
export interface SandboxEvent {
  id: string;
  type: 'booking.confirmed' | 'booking.failed';
  providerReference: string;
  occurredAt: string;
  data?: Record<string, unknown>;
}

/** Retry schedule: 0.5 s, 1 s, 2 s … at most 60 s apart, 12 attempts in all (~6 minutes). */
export const SANDBOX_EVENT_DELIVERY = {
  attempts: 12,
  firstDelayMs: 500,
  maxDelayMs: 60_000,
  timeoutMs: 10_000,
} as const;

/**
 * The sandbox's outgoing webhooks (`SANDBOX_PROVIDER_EVENTS_URL`): each event is POSTed over real
 * HTTP, signed with the sandbox's webhook secret exactly as the receiving side verifies it
 * (`Pathavana-Signature: t=<now>,v1=<HMAC-SHA256 of "<t>.<raw body>">`, a fresh `t` per
 * attempt). Delivery is at least once: a network error, a timeout or any non-2xx answer (a 404
 * too: the event may beat the booking's commit) is retried with exponential backoff; the receiver
 * dedupes by event id. Timers are unref'd and off the request path. The queue lives in memory,
 * like the sandbox's own records: on shutdown, undelivered events are dropped (logged).
 */
@Injectable()
export class SandboxEventSender implements OnModuleDestroy {
  private readonly logger = new Logger(SandboxEventSender.name);
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  /** Events scheduled and not yet delivered or given up. */
  private outstanding = 0;
  private idleWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(@InjectConfig() private readonly config: AppConfig) {}

  get enabled(): boolean {
    return Boolean(this.config.SANDBOX_PROVIDER_EVENTS_URL) && this.secret() !== undefined;
  }

  /**
   * Sends the event `build` returns (null: nothing to say any more, e.g. cancelled meanwhile) at
   * `at` (epoch ms). Returns at once.
   */
  schedule(at: number, build: () => SandboxEvent | null): void {
    if (!this.enabled || this.stopped) return;
    this.outstanding += 1;
    this.later(Math.max(0, at - Date.now()), () => {
      const event = build();
      if (event) void this.attempt(event, 1);
      else this.done();
    });
  }

  /** Resolves once every scheduled event is delivered or given up (tests, shutdown). */
  idle(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  onModuleDestroy(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
    if (this.outstanding > 0) {
      this.logger.warn(`Shutting down with ${this.outstanding} sandbox event(s) undelivered`);
    }
    this.outstanding = 0;
    this.wakeIdle();
  }

  private async attempt(event: SandboxEvent, attempt: number): Promise<void> {
    if (this.stopped) return;
    let problem: string;
    try {
      const status = await this.post(event);
      if (status >= 200 && status < 300) {
        this.done();
        return;
      }
      problem = `HTTP ${status}`;
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    if (this.stopped) return;
    if (attempt >= SANDBOX_EVENT_DELIVERY.attempts) {
      this.logger.error(
        `Sandbox event ${event.id} (${event.type}) not delivered after ${attempt} attempts: ${problem}`,
      );
      this.done();
      return;
    }
    const delay = Math.min(
      SANDBOX_EVENT_DELIVERY.maxDelayMs,
      SANDBOX_EVENT_DELIVERY.firstDelayMs * 2 ** (attempt - 1),
    );
    this.logger.warn(
      `Sandbox event ${event.id} attempt ${attempt} failed (${problem}); retrying in ${delay} ms`,
    );
    this.later(delay, () => void this.attempt(event, attempt + 1));
  }

  private async post(event: SandboxEvent): Promise<number> {
    const body = JSON.stringify(event);
    const signature = signPayload(this.secret()!, body, Math.floor(Date.now() / 1000));
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), SANDBOX_EVENT_DELIVERY.timeoutMs);
    timeout.unref();
    this.inFlight.add(controller);
    try {
      const response = await fetch(this.config.SANDBOX_PROVIDER_EVENTS_URL!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature },
        body,
        signal: controller.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.status;
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
  }

  /** The key the receiving side checks for `sandbox` (its own, else the shared one). */
  private secret(): string | undefined {
    return this.config.PROVIDER_WEBHOOK_SECRETS.sandbox ?? this.config.PROVIDER_WEBHOOK_SECRET;
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private done(): void {
    this.outstanding = Math.max(0, this.outstanding - 1);
    this.wakeIdle();
  }

  private wakeIdle(): void {
    if (this.outstanding > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
