// Starts the embedded PostgreSQL like `npm start` does, then waits to be killed (kill -9 test).
import { startEmbeddedPostgres } from '../../libs/database/embedded-postgres.js';

const [dataDir, port] = process.argv.slice(2);
await startEmbeddedPostgres({ dataDir: dataDir as string, port: Number(port) });
process.stdout.write('ready\n');
setInterval(() => undefined, 60_000);
