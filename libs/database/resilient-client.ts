import pg from 'pg';

/**
 * A pg client that always hears its own `error` events. pg-pool listens only while a client is
 * idle; when a backend dies while a client is checked out between queries (inside a transaction,
 * say), the client emits `error` with nobody listening and Node throws it: the whole process
 * would go down. The error needs no handling here: the client is then unusable, its next query
 * fails ("not queryable", a 503 DATABASE_UNAVAILABLE) and the pool drops it on release.
 */
export class ResilientClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', () => undefined);
  }
}
