import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, type Schemas, unwrap } from '../api/client';
import { Field, SelectField, TextAreaField } from '../components/Field';
import { ListTable } from '../components/ListTable';
import { ErrorMessage } from '../components/States';
import { formatDateTime, humanize } from '../format';

type Purpose = Schemas['PublishConsentNoticeDto']['purpose'];
export const PURPOSES: readonly Purpose[] = [
  'travel_planning',
  'travel_documents',
  'travel_booking',
  'marketing',
  'analytics',
];

export default function ConsentNoticesPage() {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['consent-notices'],
    queryFn: async () => unwrap(await api.GET('/api/v1/consent-notices')),
  });
  const [form, setForm] = useState({
    purpose: PURPOSES[0],
    title: '',
    text: '',
    requiresReconsent: false,
  });
  const publish = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/compliance/consent-notices', { body: form })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['consent-notices'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    publish.mutate();
  };
  return (
    <section aria-labelledby="notices-heading">
      <h1 id="notices-heading">Consent notices</h1>
      <ListTable
        query={query}
        caption="Current notices"
        columns={['Purpose', 'Version', 'Title', 'Re-consent', 'Text SHA-256', 'Published']}
        empty="No notices are published."
        paged={false}
        row={(notice) => (
          <tr key={`${notice.purpose}-${notice.version}`}>
            <td>{humanize(notice.purpose)}</td>
            <td>{notice.version}</td>
            <td>{notice.title}</td>
            <td>{notice.requiresReconsent ? 'Required' : 'No'}</td>
            <td>
              <code className="hash">{notice.textSha256}</code>
            </td>
            <td>{formatDateTime(notice.publishedAt)}</td>
          </tr>
        )}
      />
      <form onSubmit={submit} className="card" aria-labelledby="publish-heading" noValidate>
        <h2 id="publish-heading">Publish a new version</h2>
        <SelectField
          label="Purpose"
          value={form.purpose}
          onChange={(event) => setForm({ ...form, purpose: event.target.value as Purpose })}
          field="purpose"
          error={publish.error}
          options={PURPOSES.map((value) => ({ value, label: humanize(value) }))}
        />
        <Field
          label="Title"
          value={form.title}
          onChange={(event) => setForm({ ...form, title: event.target.value })}
          field="title"
          error={publish.error}
        />
        <TextAreaField
          label="Text"
          rows={6}
          value={form.text}
          onChange={(event) => setForm({ ...form, text: event.target.value })}
          field="text"
          error={publish.error}
        />
        <div className="field">
          <label>
            <input
              type="checkbox"
              checked={form.requiresReconsent}
              onChange={(event) => setForm({ ...form, requiresReconsent: event.target.checked })}
            />{' '}
            Everyone must consent again
          </label>
        </div>
        <ErrorMessage
          error={publish.error}
          fields={['purpose', 'title', 'text', 'requiresReconsent']}
        />
        {publish.data && (
          <p role="status">
            Published version {publish.data.version}; text SHA-256{' '}
            <code className="hash">{publish.data.textSha256}</code>
          </p>
        )}
        <button type="submit" disabled={publish.isPending}>
          Publish notice
        </button>
      </form>
    </section>
  );
}
