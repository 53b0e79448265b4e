import type { TestApp } from '../utils/test-app.js';

export interface InjectRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string or Buffer is sent as is. */
  body?: unknown;
  /** The client address the server sees (rate limits are per address). */
  remoteAddress?: string;
}

export interface InjectResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
  json(): unknown;
}

type LightMyRequest = (options: {
  method: string;
  url: string;
  headers?: Record<string, string>;
  payload?: string | Buffer;
  remoteAddress?: string;
}) => Promise<{
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}>;

/** Column names (camel or snake case) that only the database may hold. */
const INTERNAL_MEMBER =
  /"(password_?[hH]ash|mfa_?[tT]otp_?[sS]ecret|mfa_?[bB]ackup_?[cC]ode_?[hH]ashes|(previous_?)?[sS]ecret_?[hH]ash|token_?[hH]ash|binding_?[hH]ash|number_?[cC]iphertext|number_?[iI]ndex)"\s*:/;

/**
 * Every response body a security spec sees, so the file can finally scan them all for secrets.
 * `exempt` bodies (the TOTP setup answer, the admin reveal) legitimately carry one secret and are
 * scanned for everything else.
 */
export class ResponseLog {
  readonly bodies: { label: string; text: string; exempt?: string }[] = [];

  add(label: string, text: string, exempt?: string): void {
    this.bodies.push({ label, text, exempt });
  }

  /**
   * Labels of bodies that carry an internal column as a JSON member (whatever its value). A
   * validation problem naming a field the request itself sent is an echo, not a leak.
   */
  internalMembers(): string[] {
    return this.bodies
      .filter((body) => !body.text.includes('"code":"VALIDATION_FAILED"'))
      .filter((body) => INTERNAL_MEMBER.test(body.text))
      .map((body) => `${body.label}: ${INTERNAL_MEMBER.exec(body.text)?.[0] ?? ''}`);
  }

  /** Labels of the bodies that contain any of `secrets` (empty strings are ignored). */
  leaks(secrets: readonly string[]): string[] {
    const wanted = secrets.filter((secret) => secret.length >= 6);
    const found: string[] = [];
    for (const body of this.bodies) {
      for (const secret of wanted) {
        if (secret === body.exempt) continue;
        if (body.text.includes(secret)) found.push(`${body.label}: …${secret.slice(0, 12)}…`);
      }
    }
    return found;
  }
}

/** Fastify's light-my-request: the whole stack (hooks, guards, pipes, filter) without sockets. */
export async function inject(
  ctx: TestApp,
  request: InjectRequest,
  log?: ResponseLog,
): Promise<InjectResponse> {
  const fastify = ctx.app.getHttpAdapter().getInstance() as unknown as { inject: LightMyRequest };
  const headers: Record<string, string> = { ...(request.headers ?? {}) };
  let payload: string | Buffer | undefined;
  if (request.body !== undefined) {
    if (typeof request.body === 'string' || Buffer.isBuffer(request.body)) {
      payload = request.body;
    } else {
      payload = JSON.stringify(request.body);
    }
    headers['content-type'] ??= 'application/json';
  }
  const response = await fastify.inject({
    method: request.method,
    url: request.url,
    headers,
    payload,
    ...(request.remoteAddress ? { remoteAddress: request.remoteAddress } : {}),
  });
  log?.add(`${request.method} ${request.url} → ${response.statusCode}`, response.body);
  return {
    status: response.statusCode,
    headers: response.headers,
    text: response.body,
    json: () => JSON.parse(response.body) as unknown,
  };
}

/** Row counts of every table of the app's schema, in one query. */
export async function tableCounts(ctx: TestApp): Promise<Record<string, number>> {
  const tables = (await ctx.dataSource.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'typeorm_migrations' ORDER BY tablename`,
  )) as { tablename: string }[];
  const sql = tables
    .map(
      ({ tablename }) => `SELECT '${tablename}' AS name, count(*)::int AS rows FROM "${tablename}"`,
    )
    .join(' UNION ALL ');
  const rows = (await ctx.dataSource.query(sql)) as { name: string; rows: number }[];
  return Object.fromEntries(rows.map((row) => [row.name, row.rows]));
}

/**
 * Values that must never appear in a response: password hashes, refresh and one-time token
 * hashes, MFA secrets and backup-code hashes, document ciphertexts and blind indexes.
 */
export async function storedSecrets(ctx: TestApp): Promise<string[]> {
  const columns = (await ctx.dataSource.query(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = 'public'
        AND (column_name IN ('password_hash', 'mfa_totp_secret', 'mfa_backup_code_hashes',
                             'token_hash', 'secret_hash', 'previous_secret_hash', 'binding_hash',
                             'number_ciphertext')
             OR column_name LIKE 'number\\_%hash%' OR column_name LIKE 'number\\_%index%')`,
  )) as { table_name: string; column_name: string; data_type: string }[];
  const secrets: string[] = [];
  for (const column of columns) {
    const value =
      column.data_type === 'ARRAY'
        ? `unnest("${column.column_name}")`
        : `"${column.column_name}"::text`;
    const rows = (await ctx.dataSource.query(
      `SELECT ${value} AS value FROM "${column.table_name}" WHERE "${column.column_name}" IS NOT NULL`,
    )) as { value: string | null }[];
    for (const row of rows) if (row.value) secrets.push(row.value);
  }
  return secrets;
}
