import { useEffect, useState } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { humanize } from '../format';
import { SelectField } from './Field';

/** Keyset paging in the URL (`?cursor=`), so reload and the back button keep the page. */
export function useCursor(): string | undefined {
  const [params] = useSearchParams();
  return params.get('cursor') ?? undefined;
}

export function Pager({ nextCursor }: { nextCursor: string | null | undefined }) {
  const [params] = useSearchParams();
  const location = useLocation();
  const onLaterPage = params.has('cursor');
  const withCursor = (cursor: string | null) => {
    const next = new URLSearchParams(params);
    if (cursor) next.set('cursor', cursor);
    else next.delete('cursor');
    const query = next.toString();
    return `${location.pathname}${query ? `?${query}` : ''}`;
  };
  if (!onLaterPage && !nextCursor) return null;
  return (
    <nav aria-label="Pages" className="pager">
      {onLaterPage && <Link to={withCursor(null)}>First page</Link>}
      {nextCursor && <Link to={withCursor(nextCursor)}>Next page</Link>}
    </nav>
  );
}

/**
 * A filter kept in the URL; changing it starts again from the first page. The router applies the
 * new URL in a transition, so the value just chosen is shown until the URL has it: otherwise a
 * controlled checkbox or select snaps back to the old value for a moment after the click.
 */
export function useUrlFilter(name: string): [string, (value: string) => void] {
  const [params, setParams] = useSearchParams();
  const fromUrl = params.get(name) ?? '';
  const [chosen, setChosen] = useState<string | null>(null);
  useEffect(() => setChosen(null), [fromUrl]);
  const set = (next: string) => {
    setChosen(next);
    const updated = new URLSearchParams(params);
    if (next) updated.set(name, next);
    else updated.delete(name);
    updated.delete('cursor');
    setParams(updated);
  };
  return [chosen ?? fromUrl, set];
}

/** A select filter kept in the URL (`?name=`): "any" first, then the values in plain words. */
export function UrlSelectFilter({
  name,
  label,
  values,
  anyLabel,
}: {
  name: string;
  label: string;
  values: readonly string[];
  anyLabel: string;
}) {
  const [value, setValue] = useUrlFilter(name);
  return (
    <SelectField
      label={label}
      value={value}
      onChange={(event) => setValue(event.target.value)}
      options={[
        { value: '', label: anyLabel },
        ...values.map((option) => ({ value: option, label: humanize(option) })),
      ]}
    />
  );
}
