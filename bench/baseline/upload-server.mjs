// The speed limit for document uploads: plain node:http streaming the request body into memory
// and one INSERT of it into a bytea column, nothing else (no multipart parsing, typing,
// re-encoding, encryption or auth). Env: DATABASE_URL, PORT, DATABASE_POOL_SIZE.
import { createServer } from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
});
await pool.query(
  'CREATE TABLE IF NOT EXISTS bench_upload_baseline (id bigserial PRIMARY KEY, data bytea NOT NULL)',
);
await pool.query('ALTER TABLE bench_upload_baseline ALTER COLUMN data SET STORAGE EXTERNAL');

createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return res.end('ok');
  }
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    chunks.push(chunk);
    size += chunk.length;
  });
  req.on('end', () => {
    pool
      .query('INSERT INTO bench_upload_baseline (data) VALUES ($1) RETURNING id', [
        Buffer.concat(chunks, size),
      ])
      .then(({ rows }) => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: rows[0].id, sizeBytes: size }));
      })
      .catch((error) => {
        res.writeHead(500);
        res.end(String(error.message));
      });
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
