import type { FastifyInstance } from 'fastify';

/** One route as the router knows it: `METHOD /path` with Fastify's `:param` syntax. */
export interface DiscoveredRoute {
  method: string;
  path: string;
}

export const routeKey = (route: DiscoveredRoute): string => `${route.method} ${route.path}`;

/**
 * A route's shape: parameter names erased. The router shares one node between routes that name
 * the same position differently (`/travelers/:id` and `/travelers/:travelerId/documents` print as
 * `:id|:travelerId`), so routes and matrix entries are matched by shape.
 */
export function routeShape(key: string): string {
  return key.replace(/:[A-Za-z0-9_]+(\|:[A-Za-z0-9_]+)*/g, ':');
}

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
      const firstAlternative = path.replace(/(:[A-Za-z0-9_]+)(\|:[A-Za-z0-9_]+)+/g, '$1');
      if (!fastify.hasRoute({ method: method as 'GET', url: firstAlternative })) {
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
  const shapes = new Set(routes.map((route) => routeShape(routeKey(route))));
  const listed = new Set(matrixKeys.map(routeShape));
  return {
    unlisted: routes.map(routeKey).filter((key) => !listed.has(routeShape(key))),
    stale: matrixKeys.filter((key) => !shapes.has(routeShape(key))),
  };
}

/** The matrix key (with its parameter names) of a discovered route, if there is one. */
export function matrixKeyOf(
  route: DiscoveredRoute,
  matrixKeys: readonly string[],
): string | undefined {
  const shape = routeShape(routeKey(route));
  return matrixKeys.find((key) => routeShape(key) === shape);
}
