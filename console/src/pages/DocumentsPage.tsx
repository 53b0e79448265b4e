import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, type Schemas, unwrap } from '../api/client';
import { SelectField } from '../components/Field';
import { Pager, useCursor, useUrlFilter } from '../components/Pager';
import { Empty, ErrorMessage, Loading } from '../components/States';
import { formatDateTime, humanize } from '../format';

type Status = NonNullable<Schemas['AdminDocumentResponseDto']['status']>;
const STATUSES: readonly Status[] = ['pending', 'in_review', 'verified', 'rejected', 'expired'];
const PAGE_SIZE = 25;

/** The verification queue: oldest first (first come, first reviewed), by status. */
export function DocumentsPage() {
  const [status, setStatus] = useUrlFilter('status');
  const cursor = useCursor();
  const query = useQuery({
    queryKey: ['documents', { status, cursor }],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/admin/documents', {
          params: {
            query: {
              limit: PAGE_SIZE,
              cursor,
              status: (status || undefined) as Status | undefined,
            },
          },
        }),
      ),
  });
  return (
    <section aria-labelledby="documents-heading">
      <h1 id="documents-heading">Documents</h1>
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
      {query.data && query.data.items.length === 0 && <Empty>No documents match.</Empty>}
      {query.data && query.data.items.length > 0 && (
        <table>
          <caption>Documents to review, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Holder</th>
              <th scope="col">Type</th>
              <th scope="col">Country</th>
              <th scope="col">Status</th>
              <th scope="col">Submitted</th>
            </tr>
          </thead>
          <tbody>
            {query.data.items.map((document) => (
              <tr key={document.id}>
                <td>
                  <Link to={`/documents/${document.id}`}>{document.holderName}</Link>
                </td>
                <td>{humanize(document.type)}</td>
                <td>{document.issuingCountry}</td>
                <td>{humanize(document.status)}</td>
                <td>{formatDateTime(document.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager nextCursor={query.data?.nextCursor} />
    </section>
  );
}
