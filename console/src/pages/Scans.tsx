import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { session } from '../api/client';
import { ApiError, toProblem } from '../api/problem';
import { ErrorMessage, Loading } from '../components/States';

/** A stored scan as `GET /admin/documents/:id` lists it (Document evidence). */
export interface DocumentFile {
  id: string;
  side: 'front' | 'back' | 'other';
  contentType: string;
}

/** The document's files, when the API includes them (older APIs do not). */
export function filesOf(document: object): DocumentFile[] {
  const files = (document as { files?: unknown }).files;
  if (!Array.isArray(files)) return [];
  return files.filter(
    (file): file is DocumentFile =>
      typeof file === 'object' &&
      file !== null &&
      typeof (file as DocumentFile).id === 'string' &&
      typeof (file as DocumentFile).side === 'string',
  );
}

/**
 * The scan's bytes fetched with the bearer token (an <img src> cannot send it) and shown from
 * a blob: URL, revoked when the image goes away.
 */
function useScanUrl(documentId: string, file: DocumentFile) {
  const query = useQuery({
    queryKey: ['document-file', documentId, file.id],
    staleTime: Infinity,
    gcTime: 0,
    queryFn: async () => {
      const variant = file.contentType.startsWith('image/') ? '?variant=preview' : '';
      const response = await session.fetch(
        new Request(
          `${window.location.origin}/api/v1/admin/documents/${documentId}/files/${file.id}/content${variant}`,
        ),
      );
      if (!response.ok) {
        const body: unknown = await response.json().catch(() => undefined);
        throw new ApiError(toProblem(response.status, body));
      }
      return response.blob();
    },
  });
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!query.data) return;
    const objectUrl = URL.createObjectURL(query.data);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [query.data]);
  return { url, error: query.error, pending: query.isPending };
}

const ROTATIONS = [0, 90, 180, 270] as const;

function Scan({ documentId, file }: { documentId: string; file: DocumentFile }) {
  const { url, error, pending } = useScanUrl(documentId, file);
  const [rotation, setRotation] = useState<(typeof ROTATIONS)[number]>(0);
  const [zoomed, setZoomed] = useState(false);
  const alt = `${file.side} scan`;
  return (
    <figure className="scan">
      {pending && <Loading label={`Loading the ${alt}…`} />}
      <ErrorMessage error={error} />
      {url && file.contentType === 'application/pdf' && (
        <a href={url} download={`${file.side}.pdf`}>
          Download the {alt} (PDF)
        </a>
      )}
      {url && file.contentType !== 'application/pdf' && (
        <div className={`scan-frame${zoomed ? ' zoomed' : ''}`}>
          <img src={url} alt={alt} className={`rotate-${rotation}`} />
        </div>
      )}
      <figcaption>
        {file.side}{' '}
        <button
          type="button"
          aria-label={`Rotate ${alt}`}
          onClick={() => setRotation((current) => ROTATIONS[(ROTATIONS.indexOf(current) + 1) % 4])}
        >
          Rotate
        </button>{' '}
        <button
          type="button"
          aria-label={`Zoom ${alt}`}
          aria-pressed={zoomed}
          onClick={() => setZoomed((current) => !current)}
        >
          Zoom
        </button>
      </figcaption>
    </figure>
  );
}

export function Scans({ documentId, files }: { documentId: string; files: DocumentFile[] }) {
  const order = { front: 0, back: 1, other: 2 } as const;
  const sorted = [...files].sort((a, b) => order[a.side] - order[b.side]);
  return (
    <section aria-labelledby="scans-heading" className="scans">
      <h2 id="scans-heading">Scans</h2>
      {sorted.length === 0 ? (
        <p className="muted">No scans were uploaded with this document.</p>
      ) : (
        sorted.map((file) => <Scan key={file.id} documentId={documentId} file={file} />)
      )}
    </section>
  );
}
