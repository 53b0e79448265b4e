import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { Field, SelectField } from '../components/Field';
import { ErrorMessage } from '../components/States';
import { humanize } from '../format';
import { PURPOSES } from './ConsentNoticesPage';

type Format = 'csv' | 'ndjson';
type Purpose = (typeof PURPOSES)[number];

/** A date field (yyyy-mm-dd) as the start of that day in UTC. */
const startOfDay = (value: string) => (value ? `${value}T00:00:00Z` : undefined);

/**
 * The browser downloads the file itself (streamed to disk, never held in this page): the page
 * asks for a one-minute signed link, then navigates to it; the API answers with an attachment.
 */
export function startDownload(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.rel = 'noopener';
  link.download = '';
  document.body.append(link);
  link.click();
  link.remove();
}

export default function ConsentRecordsPage() {
  const [purpose, setPurpose] = useState<Purpose | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const download = useMutation({
    mutationFn: async (format: Format) =>
      unwrap(
        await api.POST('/api/v1/compliance/consent-records/download-links', {
          body: {
            format,
            purpose: purpose || undefined,
            from: startOfDay(from),
            to: startOfDay(to),
          },
        }),
      ),
    onSuccess: (link) => startDownload(link.url),
  });
  return (
    <section aria-labelledby="records-heading">
      <h1 id="records-heading">Consent records</h1>
      <p>
        Every consent decision matching the filter, oldest first. "To" is exclusive. Each download
        is recorded in the audit log.
      </p>
      <form className="filters" onSubmit={(event) => event.preventDefault()} noValidate>
        <SelectField
          label="Purpose"
          value={purpose}
          onChange={(event) => setPurpose(event.target.value as Purpose | '')}
          field="purpose"
          error={download.error}
          options={[
            { value: '', label: 'All purposes' },
            ...PURPOSES.map((value) => ({ value, label: humanize(value) })),
          ]}
        />
        <Field
          label="From"
          type="date"
          value={from}
          onChange={(event) => setFrom(event.target.value)}
          field="from"
          error={download.error}
        />
        <Field
          label="To"
          type="date"
          value={to}
          onChange={(event) => setTo(event.target.value)}
          field="to"
          error={download.error}
        />
        <div className="actions">
          <button
            type="button"
            onClick={() => download.mutate('csv')}
            disabled={download.isPending}
          >
            Download CSV
          </button>
          <button
            type="button"
            onClick={() => download.mutate('ndjson')}
            disabled={download.isPending}
          >
            Download NDJSON
          </button>
        </div>
      </form>
      <ErrorMessage error={download.error} fields={['purpose', 'from', 'to']} />
      {download.isSuccess && <p role="status">Your download has started.</p>}
    </section>
  );
}
