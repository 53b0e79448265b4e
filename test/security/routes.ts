import type { FastifyInstance } from 'fastify';

/** One route as the router knows it: `METHOD /path` with Fastify's `:param` syntax. */
export interface DiscoveredRoute {
  method: string;
  path: string;
}

export const routeKey = (route: DiscoveredRoute): string => `${route.method} ${route.path}`;

/** Fastify answers HEAD for every GET by itself; the GET entry of the matrix covers it. */
const DERIVED_METHODS = new Set(['HEAD']);

/**
 * Every route the Fastify router holds, parsed from `printRoutes({ commonPrefix: false })`: a
 * tree whose lines are `<indent>├── <segment> (GET, HEAD)`, four columns per level, a node's
 * full path being its ancestors' segments joined. Each parsed route is checked against
 * `hasRoute` so a change in the printed format fails loudly instead of hiding routes.
 */
export function discoverRoutes(fastify: FastifyInstance): DiscoveredRoute[] {
  const tree = fastify.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes: DiscoveredRoute[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) {
      if (line.trim() !== '') throw new Error(`Unparsed route line: ${JSON.stringify(line)}`);
      continue;
    }
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(match[2] ?? '');
    if (!match[3]) continue;
    const joined = stack.join('');
    const path = joined.startsWith('/') ? joined : `/${joined}`;
    for (const method of match[3].split(',').map((part) => part.trim())) {
      if (DERIVED_METHODS.has(method)) continue;
      if (!fastify.hasRoute({ method: method as 'GET', url: path })) {
        throw new Error(`Parsed ${method} ${path} but the router does not hold it`);
      }
      routes.push({ method, path });
    }
  }
  const unique = new Map(routes.map((route) => [routeKey(route), route]));
  return [...unique.values()].sort((a, b) => routeKey(a).localeCompare(routeKey(b)));
}

/** Router routes without a matrix entry, and matrix entries the router no longer has. */
export function compareWithMatrix(
  routes: readonly DiscoveredRoute[],
  matrixKeys: readonly string[],
): { unlisted: string[]; stale: string[] } {
  const keys = new Set(routes.map(routeKey));
  const listed = new Set(matrixKeys);
  return {
    unlisted: [...keys].filter((key) => !listed.has(key)),
    stale: [...listed].filter((key) => !keys.has(key)),
  };
}
