// `--import ./test/utils/source-imports.mjs` (after `--import tsx`): the package's subpath
// imports (`#libs/…`, `#modules/…`) resolve to the TypeScript sources, as Jest's moduleNameMapper
// does, instead of `dist/` — for child processes of tests that run source code for real.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
const roots = { '#libs/': 'libs/', '#modules/': 'src/modules/', '#config/': 'src/config/', '#platform/': 'src/platform/', '#src/': 'src/' };
const base = ${JSON.stringify(new URL('../../', import.meta.url).href)};
export async function resolve(specifier, context, next) {
  for (const [prefix, folder] of Object.entries(roots)) {
    if (specifier.startsWith(prefix)) {
      return next(new URL(folder + specifier.slice(prefix.length), base).href, context);
    }
  }
  return next(specifier, context);
}`),
);
