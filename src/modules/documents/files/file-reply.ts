import type { FastifyReply } from 'fastify';
import type { FileContent } from './document-files.service.js';

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
};

/**
 * Streams a file's bytes (chunk by chunk as they are decrypted): never cached, never sniffed; images inline, PDFs only as attachments
 * and sandboxed (no script, no same origin) should a browser render them anyway.
 */
export function sendFileContent(reply: FastifyReply, content: FileContent): FastifyReply {
  const pdf = content.contentType === 'application/pdf';
  const name = `${content.file.id}.${EXTENSIONS[content.contentType] ?? 'bin'}`;
  void reply
    .header('Cache-Control', 'no-store')
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Disposition', `${pdf ? 'attachment' : 'inline'}; filename="${name}"`)
    .type(content.contentType);
  if (content.sizeBytes !== null) void reply.header('Content-Length', String(content.sizeBytes));
  if (pdf) void reply.header('Content-Security-Policy', "sandbox; default-src 'none'");
  return reply.send(content.stream);
}

/** OpenAPI content of a file download. */
export const FILE_CONTENT_SCHEMA = {
  'image/jpeg': { schema: { type: 'string', format: 'binary' } },
  'image/png': { schema: { type: 'string', format: 'binary' } },
  'image/webp': { schema: { type: 'string', format: 'binary' } },
  'application/pdf': { schema: { type: 'string', format: 'binary' } },
};
