import { createHash } from 'node:crypto';
import { Injectable, Optional } from '@nestjs/common';
import { currencyExponent, money, percentageOf, sumMoney } from '#libs/common/money/money.js';
import { cancellationTerms } from '../cancellation/cancellation-policy.js';
import { canonicalJson } from '../canonical-json.js';
import type {
  BookingProvider,
  CancellationPolicy,
  ProviderBookOptions,
  ProviderBookingRequest,
  ProviderBookingResult,
  ProviderBookingStatus,
  ProviderCancellationInput,
  ProviderCancellationResult,
  ProviderCancellationTerms,
  ProviderResolution,
  ProviderQuote,
} from './booking-provider.js';
import { type SandboxEvent, SandboxEventSender } from './sandbox-event-sender.js';

export const SANDBOX_PROVIDER = 'sandbox';

/** Taxes 12 %, fees 2.5 % of the base (basis points). */
const TAX_BPS = 1200;
const FEE_BPS = 250;
/** Infants fly at 10 % of the seat price. */
const INFANT_BPS = 1000;

export const SANDBOX_CANCELLATION_POLICY: CancellationPolicy = {
  refundable: true,
  rules: [
    { minHoursBeforeStart: 168, penaltyBasisPoints: 0 },
    { minHoursBeforeStart: 72, penaltyBasisPoints: 2500 },
    { minHoursBeforeStart: 24, penaltyBasisPoints: 5000 },
    { minHoursBeforeStart: 0, penaltyBasisPoints: 10000 },
  ],
};

/** A sandbox pending booking expires if still pending a day after it was made. */
export const SANDBOX_PENDING_DEADLINE_MS = 24 * 3600 * 1000;

const BASE32 = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function digest(...parts: string[]): Buffer {
  return createHash('sha256').update(parts.join('\u0000')).digest();
}

function code(bytes: Buffer, length: number): string {
  return Array.from(bytes.subarray(0, length), (byte) => BASE32[byte % BASE32.length]).join('');
}

/**
 * The built-in deterministic provider: the same request always gets the same price (derived from
 * a SHA-256 of the canonical request, in the currency asked, in integer minor units with that
 * currency's exponent), and the same reference the same confirmation code. `outcome` makes it
 * confirm (default), fail or stay pending; a pending one settles per `resolveTo` once
 * `resolveAfterSeconds` have passed, when its status is asked (the status sync), and, with
 * `SANDBOX_PROVIDER_EVENTS_URL` set, it then also sends the matching signed event itself
 * (`SandboxEventSender`), as a real provider's webhook would.
 *
 * It keeps what it booked and cancelled in memory (per process, like a real provider's own
 * records, but forgotten on restart), so `status` answers from its own state.
 */
@Injectable()
export class SandboxBookingProvider implements BookingProvider {
  readonly name = SANDBOX_PROVIDER;
  /** providerReference → cancellation reference once cancelled, else null. */
  private readonly held = new Map<string, string | null>();
  /** providerReference → how and when a pending booking settles (`resolveTo`). */
  private readonly pending = new Map<string, { resolveTo?: ProviderResolution; at: number }>();

  constructor(@Optional() private readonly events?: SandboxEventSender) {}

  quote(request: ProviderBookingRequest): Promise<ProviderQuote> {
    const hash = digest(request.bookingType, request.currency, canonicalJson(request.details));
    const exponent = currencyExponent(request.currency);
    const scale = 10 ** exponent;
    // Major units 40..999 (×100 for currencies without minor units, so yen prices look like yen).
    const major = (40 + (hash.readUInt16BE(0) % 960)) * (exponent === 0 ? 100 : 1);
    const unit = money(major * scale + (hash.readUInt32BE(2) % scale), request.currency);
    const parts =
      request.bookingType === 'flight'
        ? request.travelerTypes.map((type) =>
            type === 'infant' ? percentageOf(unit, INFANT_BPS) : unit,
          )
        : Array.from({ length: request.units }, () => unit);
    const base = sumMoney(request.currency, parts);
    const taxes = percentageOf(base, TAX_BPS);
    const fees = percentageOf(base, FEE_BPS);
    const total = sumMoney(request.currency, [base, taxes, fees]);
    return Promise.resolve({
      currency: base.currency,
      baseAmountMinor: base.amountMinor,
      taxesAmountMinor: taxes.amountMinor,
      feesAmountMinor: fees.amountMinor,
      totalAmountMinor: total.amountMinor,
      cancellationPolicy: SANDBOX_CANCELLATION_POLICY,
    });
  }

  book(
    _request: ProviderBookingRequest,
    quote: ProviderQuote,
    options: ProviderBookOptions,
  ): Promise<ProviderBookingResult> {
    const hash = digest('booking', options.reference);
    const providerReference = `SBX-${hash.subarray(0, 6).toString('hex').toUpperCase()}`;
    const outcome = options.outcome ?? 'confirm';
    const raw = {
      provider: SANDBOX_PROVIDER,
      outcome,
      providerReference,
      amountMinor: quote.totalAmountMinor,
      currency: quote.currency,
    };
    if (outcome === 'fail') {
      return Promise.resolve({
        status: 'failed',
        providerReference: null,
        confirmationCode: null,
        paymentReference: null,
        failureReason: 'SANDBOX_DECLINED',
        raw: { ...raw, providerReference: null, failureReason: 'SANDBOX_DECLINED' },
      });
    }
    if (!this.held.has(providerReference)) this.held.set(providerReference, null);
    if (outcome === 'pending') {
      const at = Date.now() + (options.resolveAfterSeconds ?? 0) * 1000;
      this.pending.set(providerReference, { resolveTo: options.resolveTo, at });
      if (options.resolveTo) {
        this.events?.schedule(at, () => this.resolutionEvent(providerReference, at));
      }
      return Promise.resolve({
        bookingDeadline: new Date(Date.now() + SANDBOX_PENDING_DEADLINE_MS),
        status: 'pending',
        providerReference,
        confirmationCode: null,
        paymentReference: null,
        failureReason: null,
        raw,
      });
    }
    const confirmationCode = code(hash.subarray(6), 6);
    return Promise.resolve({
      status: 'confirmed',
      providerReference,
      confirmationCode,
      paymentReference: `SBX-PAY-${hash.subarray(12, 18).toString('hex').toUpperCase()}`,
      failureReason: null,
      raw: { ...raw, confirmationCode },
    });
  }

  cancelQuote(input: ProviderCancellationInput, now: Date): Promise<ProviderCancellationTerms> {
    return Promise.resolve(
      cancellationTerms(
        input.cancellationPolicy,
        input.chargedAmountMinor,
        input.currency,
        input.travelStartDate,
        now,
      ),
    );
  }

  cancel(input: ProviderCancellationInput): Promise<ProviderCancellationResult> {
    const hash = digest('cancel', input.providerReference ?? '');
    const cancellationReference = `SBX-CXL-${hash.subarray(0, 6).toString('hex').toUpperCase()}`;
    // A reference it never booked (made before a restart) is cancelled all the same.
    if (input.providerReference) this.held.set(input.providerReference, cancellationReference);
    return Promise.resolve({
      cancellationReference,
      raw: { provider: SANDBOX_PROVIDER, cancellationReference },
    });
  }

  /**
   * The event a pending booking's resolution sends (its id fixed per booking and outcome, so a
   * redelivery is a duplicate); null when it was cancelled meanwhile or has no `resolveTo`.
   */
  private resolutionEvent(providerReference: string, at: number): SandboxEvent | null {
    const pending = this.pending.get(providerReference);
    if (this.held.get(providerReference) !== null || !pending?.resolveTo) return null;
    const occurredAt = new Date(at).toISOString();
    if (pending.resolveTo === 'fail') {
      return {
        id: `evt_sbx_${providerReference}_failed`,
        type: 'booking.failed',
        providerReference,
        occurredAt,
        data: { failureReason: 'SANDBOX_DECLINED' },
      };
    }
    return {
      id: `evt_sbx_${providerReference}_confirmed`,
      type: 'booking.confirmed',
      providerReference,
      occurredAt,
      data: { confirmationCode: code(digest('booking-code', providerReference), 6) },
    };
  }

  /**
   * Cancelled, else a pending booking with `resolveTo` settles once `resolveAfterSeconds` have
   * passed (confirmed with its code, or failed); one without stays pending.
   */
  status(providerReference: string, now: Date = new Date()): Promise<ProviderBookingStatus> {
    const held = this.held.get(providerReference);
    let state: ProviderBookingStatus['state'] =
      held === undefined ? 'unknown' : held === null ? 'active' : 'cancelled';
    let confirmationCode: string | null = null;
    const pending = this.pending.get(providerReference);
    if (state === 'active' && pending) {
      if (!pending.resolveTo || now.getTime() < pending.at) state = 'pending';
      else if (pending.resolveTo === 'fail') state = 'failed';
    }
    if (state === 'active') confirmationCode = code(digest('booking-code', providerReference), 6);
    return Promise.resolve({
      state,
      cancellationReference: held ?? null,
      confirmationCode,
      raw: { provider: SANDBOX_PROVIDER, providerReference, state },
    });
  }
}
