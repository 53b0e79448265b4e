import type { DocumentSnapshot } from '../entities/booking-traveler.entity.js';
import type { ParsedDetails } from '../booking-request.js';
import type { TravelerSnapshot } from '#modules/travelers/travelers.service.js';
import type {
  BookingProvider,
  ProviderBookingRequest,
  ProviderQuote,
} from '../providers/booking-provider.js';

/** Everything checked and priced before the provider is asked to book. */
export interface PreparedBooking {
  parsed: ParsedDetails;
  travelStartDate: string;
  travelEndDate: string;
  snapshots: TravelerSnapshot[];
  documents: Map<string, DocumentSnapshot | null>;
  provider: BookingProvider;
  request: ProviderBookingRequest;
  quote: ProviderQuote;
}
