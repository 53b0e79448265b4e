import type { EntityManager } from 'typeorm';

/**
 * The base of a repository built on an EntityManager. The injected (root) manager runs each
 * statement on its own; `withManager` gives a copy bound to another manager (a transaction's),
 * `transaction` hands the work a copy bound to a new transaction and that transaction's manager
 * (for the ports and sibling repositories that must write in the same transaction).
 *
 * A subclass keeps the one-argument constructor (`@InjectEntityManager() manager`), so the
 * copies are made by calling it.
 */
export abstract class ManagedRepository {
  constructor(protected readonly manager: EntityManager) {}

  /** This repository bound to `manager` (a transaction's). */
  withManager(manager: EntityManager): this {
    const Repository = this.constructor as new (manager: EntityManager) => this;
    return new Repository(manager);
  }

  /**
   * Runs `work` in a transaction. The root repository begins it through the DataSource (one
   * place to observe transactions); one already bound to a transaction nests in it.
   */
  transaction<T>(work: (repository: this, manager: EntityManager) => Promise<T>): Promise<T> {
    const run = (manager: EntityManager): Promise<T> => work(this.withManager(manager), manager);
    return this.manager.queryRunner
      ? this.manager.transaction(run)
      : this.manager.connection.transaction(run);
  }
}
