import { Inject, Injectable } from '@nestjs/common';
import { validationProblem } from '#libs/common/http/validation.js';
import { BOOKING_PROVIDERS, type BookingProvider } from './providers/booking-provider.js';

/** Finds an adapter by name among those registered under BOOKING_PROVIDERS. */
@Injectable()
export class BookingProviderRegistry {
  private readonly byName: Map<string, BookingProvider>;

  constructor(@Inject(BOOKING_PROVIDERS) providers: BookingProvider[]) {
    this.byName = new Map(providers.map((provider) => [provider.name, provider]));
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  get(name: string): BookingProvider {
    const provider = this.byName.get(name);
    if (!provider) {
      throw validationProblem({
        provider: [`provider must be one of: ${this.names().join(', ')}`],
      });
    }
    return provider;
  }
}
