/** RFC 9457 problem details as the API sends them (`code` is stable, `errors` per field). */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: Record<string, string[]>;
  requestId?: string;
}

/** A failed API call: its problem details, never a raw body. */
export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }
  get status(): number {
    return this.problem.status;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringArrays(value: unknown): Record<string, string[]> | undefined {
  if (!isRecord(value)) return undefined;
  const result: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(value)) {
    if (Array.isArray(messages)) {
      const strings = messages.filter((message): message is string => typeof message === 'string');
      if (strings.length > 0) result[field] = strings;
    }
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

const FALLBACK_TITLES: Record<number, string> = {
  400: 'The request was not accepted.',
  401: 'Your session has ended. Sign in again.',
  403: 'You are not allowed to do this.',
  404: 'Not found.',
  409: 'Someone else changed this first. Reload and try again.',
  429: 'Too many attempts. Wait a moment and try again.',
};

/** Whatever came back (problem JSON, an HTML error page, nothing) as a Problem. */
export function toProblem(status: number, body: unknown): Problem {
  if (isRecord(body) && typeof body.title === 'string') {
    return {
      type: typeof body.type === 'string' ? body.type : undefined,
      title: body.title,
      status: typeof body.status === 'number' ? body.status : status,
      detail: typeof body.detail === 'string' ? body.detail : undefined,
      code: typeof body.code === 'string' ? body.code : `HTTP_${status}`,
      errors: stringArrays(body.errors),
      requestId: typeof body.requestId === 'string' ? body.requestId : undefined,
    };
  }
  const title =
    FALLBACK_TITLES[status] ??
    (status >= 500 ? 'The server failed. Try again in a moment.' : 'The request failed.');
  return { title, status, code: status === 0 ? 'NETWORK_ERROR' : `HTTP_${status}` };
}

export function networkProblem(): Problem {
  return {
    title: 'The server could not be reached. Check your connection.',
    status: 0,
    code: 'NETWORK_ERROR',
  };
}

function problemOf(error: unknown): Problem | undefined {
  if (error instanceof ApiError) return error.problem;
  return undefined;
}

/**
 * Problems without field errors that still concern one control: shown next to it. Keyed by the
 * API's stable `code`.
 */
const CODE_FIELDS: Readonly<Record<string, string>> = {
  INVALID_MFA_CODE: 'code',
  MFA_CODE_REQUIRED: 'code',
  REAUTHENTICATION_FAILED: 'password',
};

/** The messages for one field (`field` or any nested `field.x`), joined for display. */
export function fieldError(error: unknown, field: string): string | undefined {
  const problem = problemOf(error);
  if (problem && CODE_FIELDS[problem.code] === field && !problem.errors) {
    return problem.detail ?? problem.title;
  }
  const errors = problem?.errors;
  if (!errors) return undefined;
  const messages = Object.entries(errors)
    .filter(([path]) => path === field || path.startsWith(`${field}.`))
    .flatMap(([, list]) => list);
  return messages.length > 0 ? messages.join(' ') : undefined;
}

/**
 * The message for the form as a whole: the problem's detail, unless every field error is shown
 * next to one of `fields` (then nothing, so the message is not repeated).
 */
export function formError(error: unknown, fields: readonly string[] = []): string | undefined {
  if (error === null || error === undefined) return undefined;
  const problem = problemOf(error);
  if (!problem) return error instanceof Error ? error.message : 'Something went wrong.';
  const mapped = CODE_FIELDS[problem.code];
  if (mapped && fields.includes(mapped) && !problem.errors) return undefined;
  const errors = problem.errors ?? {};
  const paths = Object.keys(errors);
  const allShown =
    paths.length > 0 &&
    paths.every((path) => fields.some((field) => path === field || path.startsWith(`${field}.`)));
  if (allShown) return undefined;
  return problem.detail ?? problem.title;
}
