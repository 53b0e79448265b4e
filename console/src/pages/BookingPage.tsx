import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { ErrorMessage, Loading } from '../components/States';
import { formatDate, formatDateTime, humanize, money } from '../format';

export default function BookingPage() {
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: ['booking', id],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/admin/bookings/{id}', { params: { path: { id } } })),
  });
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorMessage error={query.error} />;
  const booking = query.data;
  return (
    <section aria-labelledby="booking-heading">
      <p>
        <Link to="/bookings">Back to bookings</Link>
      </p>
      <h1 id="booking-heading">Booking {booking.reference}</h1>
      <dl className="fields">
        <dt>Status</dt>
        <dd>{humanize(booking.status)}</dd>
        <dt>Payment</dt>
        <dd>{humanize(booking.paymentStatus)}</dd>
        <dt>Type</dt>
        <dd>{humanize(booking.bookingType)}</dd>
        <dt>Provider</dt>
        <dd>
          {booking.provider} {booking.providerReference ?? ''}
        </dd>
        <dt>Confirmation code</dt>
        <dd>{booking.confirmationCode ?? '—'}</dd>
        <dt>Travel</dt>
        <dd>
          {formatDate(booking.travelStartDate)} – {formatDate(booking.travelEndDate)}
        </dd>
        <dt>Total</dt>
        <dd>{money(booking.total)}</dd>
        <dt>Booked</dt>
        <dd>{formatDateTime(booking.bookedAt)}</dd>
        <dt>Cancelled</dt>
        <dd>{formatDateTime(booking.cancelledAt)}</dd>
      </dl>
      <h2>Ledger totals</h2>
      <dl className="fields">
        <dt>Charged</dt>
        <dd>{money(booking.totals.charged)}</dd>
        <dt>Refunded</dt>
        <dd>{money(booking.totals.refunded)}</dd>
        <dt>Penalties</dt>
        <dd>{money(booking.totals.penalties)}</dd>
        <dt>Net</dt>
        <dd>{money(booking.totals.net)}</dd>
      </dl>
      <h2>Travelers (as booked)</h2>
      {booking.travelers.length === 0 ? (
        <p className="muted">No travelers on this booking.</p>
      ) : (
        <table>
          <caption>Travelers snapshot</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Date of birth</th>
              <th scope="col">Primary</th>
            </tr>
          </thead>
          <tbody>
            {booking.travelers.map((traveler) => (
              <tr key={traveler.travelerId}>
                <td>{traveler.fullName}</td>
                <td>{humanize(traveler.travelerType)}</td>
                <td>{formatDate(traveler.dateOfBirth)}</td>
                <td>{traveler.isPrimary ? 'Yes' : 'No'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
