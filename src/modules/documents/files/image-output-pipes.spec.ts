import { describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { encodedThroughPipe, ImageOutputPipes } from './image-output-pipes.js';

const noise = (width: number, height: number) =>
  sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#000000',
      noise: { type: 'gaussian', mean: 128, sigma: 60 },
    },
  });

describe('encodedThroughPipe (libvips saving into a FIFO)', () => {
  const pipes = new ImageOutputPipes();

  it('gives the same bytes as an encode to a buffer, in pieces, then the encoder’s info', async () => {
    const input = await noise(900, 700).png().toBuffer();
    const expected = await sharp(input).jpeg({ quality: 90 }).toBuffer();
    const pipe = await pipes.acquire();
    expect(pipe).not.toBeNull();
    const pieces: Buffer[] = [];
    const run = encodedThroughPipe(pipe as string, (path) =>
      sharp(input).jpeg({ quality: 90 }).toFile(path),
    );
    let next = await run.next();
    while (!next.done) {
      pieces.push(next.value);
      next = await run.next();
    }
    pipes.release(pipe as string);
    expect(pieces.length).toBeGreaterThan(1);
    // Whole 64 KiB pieces (libvips writes ~8 KiB at a time), the last one what is left.
    expect(pieces.slice(0, -1).every((piece) => piece.length === 64 * 1024)).toBe(true);
    expect(Buffer.concat(pieces).equals(expected)).toBe(true);
    expect(next.value).toMatchObject({ format: 'jpeg', width: 900, height: 700 });
  });

  it('a slow reader: reading stops while pieces wait and starts again, nothing lost', async () => {
    const input = await noise(800, 600).png().toBuffer();
    const expected = await sharp(input).png({ compressionLevel: 0 }).toBuffer();
    const pipe = (await pipes.acquire()) as string;
    const pieces: Buffer[] = [];
    const run = encodedThroughPipe(pipe, (path) =>
      sharp(input).png({ compressionLevel: 0 }).toFile(path),
    );
    for await (const piece of run) {
      pieces.push(piece);
      await new Promise((resolve) => setTimeout(resolve, 5)); // libvips fills the pipe meanwhile
    }
    pipes.release(pipe);
    expect(pieces.length).toBeGreaterThan(10);
    expect(Buffer.concat(pieces).equals(expected)).toBe(true);
  });

  it('a reader that stops early does not leave libvips blocked; the pipe serves the next image', async () => {
    const input = await noise(1200, 900).png().toBuffer();
    const pipe = (await pipes.acquire()) as string;
    let settled = false;
    const run = encodedThroughPipe(pipe, (path) =>
      sharp(input)
        .png({ compressionLevel: 0 })
        .toFile(path)
        .finally(() => (settled = true)),
    );
    await run.next();
    await run.return(undefined as never); // far more than the pipe's 64 KiB was still to come
    expect(settled).toBe(true);
    const again = encodedThroughPipe(pipe, (path) => noise(64, 48).jpeg().toFile(path));
    const pieces: Buffer[] = [];
    for await (const piece of again) pieces.push(piece);
    pipes.release(pipe);
    expect(await sharp(Buffer.concat(pieces)).metadata()).toMatchObject({ width: 64, height: 48 });
  });

  it('an encoder that fails before writing fails the reader, with the encoder’s error', async () => {
    const pipe = (await pipes.acquire()) as string;
    const run = encodedThroughPipe(pipe, (path) =>
      sharp(Buffer.from('not an image')).jpeg().toFile(path),
    );
    await expect(run.next()).rejects.toThrow(/unsupported image format|Input buffer/i);
    pipes.release(pipe);
  });

  it('pipes are reused, one per encode in flight', async () => {
    const own = new ImageOutputPipes();
    const first = await own.acquire();
    const second = await own.acquire();
    expect(first).not.toBe(second);
    own.release(first as string);
    expect(await own.acquire()).toBe(first);
  });
});

describe('ImageOutputPipes where no FIFO can be made', () => {
  it('answers null: the caller encodes to a buffer instead', async () => {
    const pipes = new ImageOutputPipes('/proc/no-such-directory');
    expect(await pipes.acquire()).toBeNull();
    expect(await pipes.acquire()).toBeNull();
  });
});
