import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { ListTable } from '../components/ListTable';
import { ErrorMessage, Loading } from '../components/States';
import { formatDateTime, humanize } from '../format';

export default function RetentionPage() {
  const policies = useQuery({
    queryKey: ['retention-policies'],
    queryFn: async () => unwrap(await api.GET('/api/v1/compliance/retention-policies')),
  });
  const [confirming, setConfirming] = useState(false);
  const run = useMutation({
    mutationFn: async (dryRun: boolean) =>
      unwrap(await api.POST('/api/v1/compliance/retention/run', { body: { dryRun } })),
    onSettled: () => setConfirming(false),
  });
  return (
    <section aria-labelledby="retention-heading">
      <h1 id="retention-heading">Retention</h1>
      <ListTable
        query={policies}
        caption="Retention policies"
        columns={['Category', 'Period', 'From', 'Action', 'Reason', 'Applied by']}
        empty="No retention policies are configured."
        paged={false}
        row={(policy) => (
          <tr key={policy.category}>
            <td>{humanize(policy.category)}</td>
            <td>{policy.period}</td>
            <td>{policy.from}</td>
            <td>{humanize(policy.action)}</td>
            <td>{policy.reason}</td>
            <td>{policy.appliedBy.join(', ') || '—'}</td>
          </tr>
        )}
      />
      <div className="actions">
        <button type="button" onClick={() => run.mutate(true)} disabled={run.isPending}>
          Dry run
        </button>
        {!confirming ? (
          <button type="button" onClick={() => setConfirming(true)} disabled={run.isPending}>
            Run retention
          </button>
        ) : (
          <span role="group" aria-label="Confirm the retention run">
            This deletes what is past retention.{' '}
            <button type="button" onClick={() => run.mutate(false)} disabled={run.isPending}>
              Delete now
            </button>{' '}
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        )}
      </div>
      {run.isPending && <Loading label="Running…" />}
      <ErrorMessage error={run.error} />
      {run.data && (
        <section aria-labelledby="run-heading">
          <h2 id="run-heading">
            {run.data.dryRun ? 'Dry run' : 'Run'}: {run.data.total} rows{' '}
            {run.data.dryRun ? 'past retention' : 'deleted'}
          </h2>
          <p className="muted">Finished {formatDateTime(run.data.finishedAt)}</p>
          <ul>
            {run.data.categories.map((category) => (
              <li key={`${category.category}-${category.contributor}`}>
                {humanize(category.category)} ({category.contributor}): {category.rows}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
