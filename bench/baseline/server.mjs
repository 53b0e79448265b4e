// The speed limit for `GET /api/v1/sessions/:id`: plain node:http + pg + jose doing the same
// work as the real route (verify the HS256 bearer token with the same secret/iss/aud, one
// owner-scoped SELECT by id, serialise the same JSON shape), and nothing else.
// Env: DATABASE_URL, JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE, PORT, DATABASE_POOL_SIZE.
import { createServer } from 'node:http';
import { jwtVerify } from 'jose';
import pg from 'pg';

const secret = new TextEncoder().encode(process.env.JWT_SECRET);
const verifyOptions = {
  algorithms: ['HS256'],
  issuer: process.env.JWT_ISSUER ?? 'pathavana',
  audience: process.env.JWT_AUDIENCE ?? 'pathavana-api',
};
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
});
const ROUTE = /^\/api\/v1\/sessions\/([0-9a-f-]{36})$/i;
// The session with its chat messages (their own table) merged back into session_data.
const SQL = `SELECT s.id, s.status, s.title, s.plan_data, s.session_metadata, s.version,
       s.created_at, s.updated_at, s.last_activity_at, s.session_data || jsonb_build_object('chatMessages', COALESCE(
    (SELECT jsonb_agg(m.message ORDER BY m.seq) FROM unified_session_messages m
      WHERE m.session_id = s.id), '[]'::jsonb)) AS session_data
  FROM unified_travel_sessions s WHERE s.id = $1 AND s.user_id = $2`;

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function handle(req, res) {
  const match = req.method === 'GET' ? ROUTE.exec(req.url ?? '') : null;
  if (!match) return send(res, 404, { code: 'NOT_FOUND' });
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Bearer ')) return send(res, 401, { code: 'UNAUTHENTICATED' });
  let sub;
  try {
    ({
      payload: { sub },
    } = await jwtVerify(header.slice(7), secret, verifyOptions));
  } catch {
    return send(res, 401, { code: 'UNAUTHENTICATED' });
  }
  const { rows } = await pool.query({ text: SQL, values: [match[1], sub] });
  const row = rows[0];
  if (!row) return send(res, 404, { code: 'SESSION_NOT_FOUND' });
  res.setHeader('etag', `"${row.version}"`);
  send(res, 200, {
    id: row.id,
    status: row.status,
    title: row.title,
    planData: row.plan_data,
    sessionMetadata: row.session_metadata,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    lastActivityAt: row.last_activity_at.toISOString(),
    sessionData: row.session_data,
  });
}

const server = createServer((req, res) => {
  handle(req, res).catch(() => send(res, 500, { code: 'INTERNAL' }));
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3100), '127.0.0.1', () => {
  process.stdout.write(`baseline listening on ${process.env.PORT}\n`);
});
const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
