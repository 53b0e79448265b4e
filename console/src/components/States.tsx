import { formError } from '../api/problem';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p role="status" aria-live="polite" className="muted">
      {label}
    </p>
  );
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <p className="muted">{children}</p>;
}

/** A problem that concerns no single control, shown in the place of the content. */
export function ErrorMessage({ error, fields }: { error: unknown; fields?: readonly string[] }) {
  const message = formError(error, fields);
  if (!message) return null;
  return (
    <p role="alert" className="error">
      {message}
    </p>
  );
}
