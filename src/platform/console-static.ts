import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build` puts the console: `<repository>/dist/console`. */
export function consoleDistDir(): string {
  const here = fileURLToPath(import.meta.url);
  const marker = `${join('dist', 'src')}/`;
  const root = here.includes(`/${marker}`)
    ? here.slice(0, here.indexOf(`/${marker}`))
    : resolve(dirname(here), '..', '..');
  return join(root, 'dist', 'console');
}

/**
 * Serves the staff console under /console: hashed assets with a year of caching, and
 * index.html (never cached) for /console and every client-side route below it, so reloads
 * and deep links work. Without a console build the API starts as before, without /console.
 */
export async function registerConsole(
  fastify: FastifyInstance,
  directory: string = consoleDistDir(),
): Promise<boolean> {
  const indexFile = join(directory, 'index.html');
  if (!existsSync(indexFile)) return false;
  const indexHtml = readFileSync(indexFile, 'utf8');
  const assets = join(directory, 'assets');
  if (existsSync(assets)) {
    await fastify.register(fastifyStatic, {
      root: assets,
      prefix: '/console/assets/',
      decorateReply: false,
      index: false,
      immutable: true,
      maxAge: '365d',
    });
  }
  const sendIndex = (_request: FastifyRequest, reply: FastifyReply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(indexHtml);
  fastify.get('/console', sendIndex);
  fastify.get('/console/*', (request, reply) => {
    // A missing asset is a 404, not the page (a stale bundle must fail loudly).
    if (request.url.startsWith('/console/assets/')) {
      return reply.code(404).header('content-type', 'text/plain').send('Not found');
    }
    return sendIndex(request, reply);
  });
  return true;
}
