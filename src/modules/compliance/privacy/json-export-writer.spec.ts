import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { ExportAbortedError, JsonExportWriter } from './json-export-writer.js';

async function* generate(count: number): AsyncGenerator<{ n: number }> {
  for (let n = 0; n < count; n += 1) yield { n };
}

const collect = (stream: PassThrough): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => resolve(text));
  });

describe('JsonExportWriter', () => {
  it('writes one valid JSON document, contributor by contributor, section by section', async () => {
    const out = new PassThrough();
    const text = collect(out);
    const writer = new JsonExportWriter(out);
    await writer.begin({ schemaVersion: 1, subjectId: 'u' });
    await writer.beginContributor('a');
    await writer.value('account', { email: 'x@example.test', nothing: undefined });
    await writer.rows('empty', []);
    await writer.rows('rows', generate(3));
    await writer.endContributor();
    await writer.beginContributor('b');
    await writer.value('nothing', null);
    await writer.endContributor();
    await writer.beginContributor('c');
    await writer.endContributor();
    await writer.end();
    out.end();
    expect(JSON.parse(await text)).toEqual({
      schemaVersion: 1,
      subjectId: 'u',
      data: {
        a: {
          account: { email: 'x@example.test' },
          empty: [],
          rows: [{ n: 0 }, { n: 1 }, { n: 2 }],
        },
        b: { nothing: null },
        c: {},
      },
      complete: true,
    });
  });

  it('refuses a section written twice', async () => {
    const out = new PassThrough();
    void collect(out);
    const writer = new JsonExportWriter(out);
    await writer.begin({});
    await writer.beginContributor('a');
    await writer.value('x', 1);
    await expect(writer.value('x', 2)).rejects.toThrow(/twice/);
  });

  it('waits for the consumer (back-pressure) and stops when the stream closes', async () => {
    let written = 0;
    let release: (() => void) | null = null;
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        release = callback;
      },
    });
    const writer = new JsonExportWriter(slow);
    await writer.begin({});
    await writer.beginContributor('a');
    const rows = writer.rows('rows', generate(1000));
    // Let the writer run until it blocks on back-pressure.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const blockedAt = written;
    expect(blockedAt).toBeLessThan(200);
    expect(release).not.toBeNull();
    slow.destroy();
    await expect(rows).rejects.toBeInstanceOf(ExportAbortedError);
    expect(written).toBe(blockedAt);
  });
});
