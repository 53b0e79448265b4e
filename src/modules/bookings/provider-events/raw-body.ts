import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The raw bytes of each request on the routes below, for signature checks. */
const rawBodies = new WeakMap<IncomingMessage, Buffer>();

/** The body exactly as received, when the route keeps it. */
export function rawBodyOf(request: FastifyRequest): Buffer | undefined {
  return rawBodies.get(request.raw);
}

async function* replay(head: Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield* head;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/**
 * Keeps the raw body of requests to routes whose pattern ends with `routeSuffix` (a
 * `preParsing` hook: the bytes are copied on their way to the normal parser, so the body limit,
 * content types and JSON errors stay as for every route). A body over `bodyLimit` is not kept;
 * Fastify's parser refuses it with 413 as usual.
 */
export function keepRawBody(
  fastify: FastifyInstance,
  routeSuffix: string,
  bodyLimit: number,
): void {
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    if (!request.routeOptions.url?.endsWith(routeSuffix)) return payload;
    const chunks: Buffer[] = [];
    let size = 0;
    const iterator = (payload as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      chunks.push(chunk);
      size += chunk.length;
      if (size > bodyLimit) {
        return Readable.from(replay(chunks, iterator as AsyncIterator<Buffer>), {
          objectMode: false,
        });
      }
    }
    const raw = Buffer.concat(chunks);
    rawBodies.set(request.raw, raw);
    return Readable.from([raw], { objectMode: false });
  });
}
