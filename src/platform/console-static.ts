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
 * and deep links work. The same routes exist without a console build (the API starts as
 * before; /console answers 404 until `npm run build` has built it). Returns whether it is built.
 */
export async function registerConsole(
  fastify: FastifyInstance,
  directory: string = consoleDistDir(),
): Promise<boolean> {
  const indexFile = join(directory, 'index.html');
  const assets = join(directory, 'assets');
  const built = existsSync(indexFile) && existsSync(assets);
  const indexHtml = built ? readFileSync(indexFile, 'utf8') : null;
  const notFound = (reply: FastifyReply) =>
    reply
      .code(404)
      .header('content-type', 'text/plain; charset=utf-8')
      .send(built ? 'Not found' : 'The console is not built (npm run build).');
  if (built) {
    await fastify.register(fastifyStatic, {
      root: assets,
      prefix: '/console/assets/',
      decorateReply: false,
      index: false,
      immutable: true,
      maxAge: '365d',
    });
  } else {
    fastify.get('/console/assets/*', (_request, reply) => notFound(reply));
  }
  const sendIndex = (_request: FastifyRequest, reply: FastifyReply) =>
    indexHtml === null
      ? notFound(reply)
      : reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('cache-control', 'no-cache')
          .send(indexHtml);
  fastify.get('/console', sendIndex);
  fastify.get('/console/', sendIndex);
  fastify.get('/console/*', sendIndex);
  return built;
}
