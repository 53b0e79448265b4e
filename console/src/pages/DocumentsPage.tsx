import { Link } from 'react-router';
import { api, type Schemas, unwrap } from '../api/client';
import { ListTable, usePagedList } from '../components/ListTable';
import { UrlSelectFilter, useUrlFilter } from '../components/Pager';
import { formatDateTime, humanize } from '../format';

type Status = NonNullable<Schemas['AdminDocumentResponseDto']['status']>;
const STATUSES: readonly Status[] = ['pending', 'in_review', 'verified', 'rejected', 'expired'];
const PAGE_SIZE = 25;

/** The verification queue: oldest first (first come, first reviewed), by status. */
export function DocumentsPage() {
  const [status] = useUrlFilter('status');
  const query = usePagedList('documents', { status }, async (cursor) =>
    unwrap(
      await api.GET('/api/v1/admin/documents', {
        params: {
          query: { limit: PAGE_SIZE, cursor, status: (status || undefined) as Status | undefined },
        },
      }),
    ),
  );
  return (
    <section aria-labelledby="documents-heading">
      <h1 id="documents-heading">Documents</h1>
      <form className="filters" onSubmit={(event) => event.preventDefault()}>
        <UrlSelectFilter name="status" label="Status" values={STATUSES} anyLabel="Any status" />
      </form>
      <ListTable
        query={query}
        caption="Documents to review, oldest first"
        columns={['Holder', 'Type', 'Country', 'Status', 'Submitted']}
        empty="No documents match."
        row={(document) => (
          <tr key={document.id}>
            <td>
              <Link to={`/documents/${document.id}`}>{document.holderName}</Link>
            </td>
            <td>{humanize(document.type)}</td>
            <td>{document.issuingCountry}</td>
            <td>{humanize(document.status)}</td>
            <td>{formatDateTime(document.createdAt)}</td>
          </tr>
        )}
      />
    </section>
  );
}
