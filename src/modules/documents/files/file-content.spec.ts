import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { activeContentOf, FileContentProcessor } from './file-content.js';
import { ImageOutputPipes } from './image-output-pipes.js';

describe('activeContentOf (PDF)', () => {
  const pdf = (body: string): Buffer => Buffer.from(`%PDF-1.4\n${body}\n%%EOF`, 'latin1');

  it('finds JavaScript, JS, Launch and RichMedia names, also #xx-escaped', () => {
    expect(activeContentOf(pdf('<< /S /JavaScript /JS (app.alert(1)) >>'))).toBe('JavaScript');
    expect(activeContentOf(pdf('<< /OpenAction << /JS 5 0 R >> >>'))).toBe('JS');
    expect(activeContentOf(pdf('<< /S /J#61vaScript >>'))).toBe('JavaScript');
    expect(activeContentOf(pdf('<< /S /Launch /F (cmd.exe) >>'))).toBe('Launch');
    expect(activeContentOf(pdf('<< /Type /RichMedia >>'))).toBe('RichMedia');
  });

  it('leaves plain documents alone (names that merely start alike included)', () => {
    expect(activeContentOf(pdf('<< /Type /Catalog /Pages 2 0 R /JSONish 1 >>'))).toBeNull();
    expect(activeContentOf(pdf('(a text mentioning JavaScript without a slash)'))).toBeNull();
  });
});

describe('activeContentOf across scan windows (1 MiB)', () => {
  const MiB = 1024 * 1024;
  /** `name` placed so that it starts `before` bytes ahead of the first window's end. */
  const straddling = (name: string, before: number): Buffer => {
    const head = '%PDF-1.4\n';
    const fill = ' '.repeat(MiB - head.length - before);
    return Buffer.from(`${head}${fill}${name} 1 0 R\n${' '.repeat(1000)}\n%%EOF`, 'latin1');
  };

  it('finds a name cut by a window boundary, escaped or not', () => {
    for (const before of [1, 3, 7, 20, 63, 64, 65, 500, 600]) {
      expect(activeContentOf(straddling('/JavaScript', before))).toBe('JavaScript');
      expect(activeContentOf(straddling('/J#61va#53cript', before))).toBe('JavaScript');
    }
  });

  it('does not take a longer name cut at the boundary for an active one', () => {
    for (const before of [1, 3, 4, 5, 64]) {
      expect(activeContentOf(straddling('/JSONish', before))).toBeNull();
    }
  });
});

describe('FileContentProcessor.process: nothing of an image on disk', () => {
  it('turns a 37 MP scan upright in memory: libvips opens no temporary file for its pixels', async () => {
    // 6400 × 5800 RGB = 111 MB decoded, over libvips' default disc threshold (100 MiB); turning
    // it upright reads it out of order. Run in a process of its own (see the child's header).
    const temporaryDirectory = mkdtempSync(join(tmpdir(), 'scan-temp-'));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        './test/utils/source-imports.mjs',
        'test/utils/rotated-scan-child.mts',
        '6400',
        '5800',
      ],
      // A temporary directory of its own (libvips reads TMPDIR), so a checkout that lives under
      // /tmp is not in the way; the child counts libvips' temporary files in it.
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, TMPDIR: temporaryDirectory },
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    rmSync(temporaryDirectory, { recursive: true, force: true });
    expect(code).toBe(0);
    const seen = JSON.parse(output) as { tempFiles: string[]; facts: { width: number } };
    expect(seen.facts).toMatchObject({ width: 5800, height: 6400 });
    expect(seen.tempFiles).toEqual([]);
  });
});

describe('FileContentProcessor.process: through a pipe or, without one, a buffer', () => {
  it('stores the same bytes, size, hash and dimensions either way', async () => {
    const scan = await sharp({
      create: {
        width: 700,
        height: 500,
        channels: 3,
        background: '#000000',
        noise: { type: 'gaussian', mean: 128, sigma: 40 },
      },
    })
      .jpeg({ quality: 95 })
      .toBuffer();
    const stored = (processor: FileContentProcessor) =>
      processor.process(scan, async (file) => {
        const pieces: Buffer[] = [];
        for await (const piece of file.chunks) pieces.push(piece);
        return { bytes: Buffer.concat(pieces), pieces: pieces.length, facts: file.facts() };
      });
    const piped = await stored(new FileContentProcessor(1));
    const buffered = await stored(
      new FileContentProcessor(1, new ImageOutputPipes('/proc/no-such-directory')),
    );
    expect(piped.pieces).toBeGreaterThan(1);
    expect(buffered.pieces).toBe(1);
    expect(buffered.bytes.equals(piped.bytes)).toBe(true);
    expect(buffered.facts).toEqual(piped.facts);
    expect(piped.facts).toMatchObject({ width: 700, height: 500, sizeBytes: piped.bytes.length });
  });
});
