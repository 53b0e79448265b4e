import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { API_PREFIX } from '#libs/common/http/api-prefix.js';
import { UuidParam } from '#libs/common/http/uuid-param.js';
import type { DocumentKind } from './document-vocabulary.js';

/**
 * How one owner kind's document routes are laid out: the controller path and the names of its
 * path parameters. The document CRUD base (DocumentsController) and the files base
 * (DocumentFilesController) are built from one of these per owner kind.
 */
export interface DocumentOwnerRoutes {
  owner: DocumentKind;
  /** The controller's path (without the API prefix), e.g. `travelers/:travelerId/documents`. */
  path: string;
  /** The path parameter naming the owner (a traveler); none when the owner is the caller. */
  ownerParam?: string;
  /** The path parameter naming the document. */
  documentParam: string;
}

/** Who owns the documents under a route for the caller (another user's owner → 404). */
export interface DocumentOwnerResolver {
  /**
   * The owner id of the caller's documents under this route; `change` is true for the routes
   * that write (an archived traveler's documents can be read but not changed).
   */
  ownerFor(user: AuthenticatedUser, ownerParam: string, change: boolean): Promise<string>;
}

/**
 * The URL (with the API prefix) of the controller's path with its parameters filled in, then
 * `rest` segments: the Location of what a route created.
 */
export function routeLocation(
  routes: DocumentOwnerRoutes,
  ownerParam: string,
  documentId: string | undefined,
  ...rest: string[]
): string {
  const values: Record<string, string | undefined> = { [routes.documentParam]: documentId };
  if (routes.ownerParam) values[routes.ownerParam] = ownerParam;
  const path = routes.path.replace(/:(\w+)/g, (_, name: string) => values[name] ?? '');
  return [`${API_PREFIX}/${path}`, ...rest].join('/');
}

/**
 * A path parameter the route does not have (the owner is the caller): the handler receives
 * undefined. Handlers type the owner parameter `string` all the same: Swagger reads a union as
 * a model and would drop the parameter.
 */
const NoParam: ParameterDecorator = () => undefined;

/** The decorator of the owner path parameter (none when the owner is the caller). */
export function ownerParamOf(routes: DocumentOwnerRoutes): ParameterDecorator {
  return routes.ownerParam ? UuidParam(routes.ownerParam) : NoParam;
}
