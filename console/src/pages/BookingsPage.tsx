import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, type Schemas, unwrap } from '../api/client';
import { SelectField } from '../components/Field';
import { Pager, useCursor, useUrlFilter } from '../components/Pager';
import { Empty, ErrorMessage, Loading } from '../components/States';
import { formatDate, formatDateTime, humanize, money } from '../format';

type Status = Schemas['AdminBookingResponseDto']['status'];
const STATUSES: readonly Status[] = [
  'pending',
  'confirmed',
  'cancelled',
  'completed',
  'expired',
  'refunded',
  'failed',
];

export default function BookingsPage() {
  const [status, setStatus] = useUrlFilter('status');
  const cursor = useCursor();
  const query = useQuery({
    queryKey: ['bookings', { status, cursor }],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/admin/bookings', {
          params: {
            query: { limit: 25, cursor, status: (status || undefined) as Status | undefined },
          },
        }),
      ),
  });
  return (
    <section aria-labelledby="bookings-heading">
      <h1 id="bookings-heading">Bookings</h1>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <SelectField
          label="Status"
          value={status}
          onChange={(event) => setStatus(event.target.value)}
          options={[
            { value: '', label: 'Any status' },
            ...STATUSES.map((value) => ({ value, label: humanize(value) })),
          ]}
        />
      </form>
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      {query.data?.items.length === 0 && <Empty>No bookings match.</Empty>}
      {query.data && query.data.items.length > 0 && (
        <table>
          <caption>Bookings, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Travel</th>
              <th scope="col">Total</th>
              <th scope="col">Booked</th>
            </tr>
          </thead>
          <tbody>
            {query.data.items.map((booking) => (
              <tr key={booking.id}>
                <td>
                  <Link to={`/bookings/${booking.id}`}>{booking.reference}</Link>
                </td>
                <td>{humanize(booking.bookingType)}</td>
                <td>{humanize(booking.status)}</td>
                <td>
                  {formatDate(booking.travelStartDate)} – {formatDate(booking.travelEndDate)}
                </td>
                <td>{money(booking.total)}</td>
                <td>{formatDateTime(booking.bookedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager nextCursor={query.data?.nextCursor} />
    </section>
  );
}
