import type { Writable } from 'node:stream';
import type {
  ExportValue,
  PersonalDataSink,
} from '#libs/common/privacy/personal-data-contributor.js';

/** The client went away (or the stream failed): contributors stop at their next write. */
export class ExportAbortedError extends Error {
  constructor() {
    super('The export stream was closed before the document was complete.');
    this.name = 'ExportAbortedError';
  }
}

/** Resolves when `out` drains, rejects when it closes or fails first. */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', onClose);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onClose = () => {
      cleanup();
      reject(new ExportAbortedError());
    };
    out.on('drain', onDrain);
    out.on('close', onClose);
    out.on('error', onClose);
  });
}

/**
 * Writes ONE JSON document incrementally:
 *   {<header members>, "data": {"<contributor>": {"<section>": value | [rows…]}, …}, "complete": true}
 * Every write awaits back-pressure, so memory holds one row at a time whatever the export's size.
 * `complete: true` is the last member: a document without it was cut short.
 */
export class JsonExportWriter implements PersonalDataSink {
  private contributorCount = 0;
  private sections = new Set<string>();
  private open = false;

  constructor(private readonly out: Writable) {}

  async begin(header: Record<string, ExportValue>): Promise<void> {
    const members = Object.entries(header).map(
      ([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value ?? null)}`,
    );
    await this.write(`{${members.join(',')}${members.length ? ',' : ''}"data":{`);
  }

  async beginContributor(key: string): Promise<void> {
    if (this.open) throw new Error('previous contributor still open');
    await this.write(`${this.contributorCount > 0 ? ',' : ''}${JSON.stringify(key)}:{`);
    this.contributorCount += 1;
    this.sections.clear();
    this.open = true;
  }

  async endContributor(): Promise<void> {
    await this.write('}');
    this.open = false;
  }

  async value(section: string, value: ExportValue): Promise<void> {
    await this.member(section);
    await this.write(JSON.stringify(value ?? null));
  }

  async rows(
    section: string,
    rows: AsyncIterable<ExportValue> | Iterable<ExportValue>,
  ): Promise<void> {
    await this.member(section);
    await this.write('[');
    let first = true;
    for await (const row of rows) {
      await this.write(`${first ? '' : ','}${JSON.stringify(row ?? null)}`);
      first = false;
    }
    await this.write(']');
  }

  async end(): Promise<void> {
    await this.write('},"complete":true}\n');
  }

  private async member(section: string): Promise<void> {
    if (!this.open) throw new Error('no contributor open');
    if (this.sections.has(section)) throw new Error(`section "${section}" written twice`);
    await this.write(`${this.sections.size > 0 ? ',' : ''}${JSON.stringify(section)}:`);
    this.sections.add(section);
  }

  private async write(chunk: string): Promise<void> {
    if (this.out.destroyed || this.out.writableEnded) throw new ExportAbortedError();
    if (!this.out.write(chunk)) await drained(this.out);
  }
}
