import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { Pager, useCursor } from '../components/Pager';
import { Empty, ErrorMessage, Loading } from '../components/States';
import { formatDateTime, humanize } from '../format';

/** The privacy-request register (intake, transitions and staff runs arrive with its API). */
export default function PrivacyRequestsPage() {
  const cursor = useCursor();
  const query = useQuery({
    queryKey: ['privacy-requests', cursor],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/compliance/privacy-requests', {
          params: { query: { limit: 25, cursor } },
        }),
      ),
  });
  const now = Date.now();
  return (
    <section aria-labelledby="privacy-heading">
      <h1 id="privacy-heading">Privacy requests</h1>
      <p>
        <button type="button" disabled aria-describedby="new-request-later">
          New request
        </button>{' '}
        <span id="new-request-later" className="hint">
          Staff intake arrives with the privacy request register.
        </span>
      </p>
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} />
      {query.data?.items.length === 0 && <Empty>No privacy requests yet.</Empty>}
      {query.data && query.data.items.length > 0 && (
        <table>
          <caption>Privacy requests, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Subject</th>
              <th scope="col">Status</th>
              <th scope="col">Received</th>
              <th scope="col">Due</th>
              <th scope="col">Completed</th>
            </tr>
          </thead>
          <tbody>
            {query.data.items.map((request) => {
              const overdue =
                request.status === 'in_progress' && new Date(request.dueAt).getTime() < now;
              return (
                <tr key={request.id}>
                  <td>{humanize(request.type)}</td>
                  <td>{request.subjectId}</td>
                  <td>
                    {humanize(request.status)}
                    {overdue && <strong className="overdue"> Overdue</strong>}
                  </td>
                  <td>{formatDateTime(request.receivedAt)}</td>
                  <td>{formatDateTime(request.dueAt)}</td>
                  <td>{formatDateTime(request.completedAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Pager nextCursor={query.data?.nextCursor} />
    </section>
  );
}
