import { execFile } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Named pipes (FIFOs) that libvips saves an encoded image into while the API reads it: sharp's
 * own outputs (`toBuffer`, its stream) hold the whole encoded file at once, a file path is
 * written as it is encoded. A FIFO holds no bytes at rest (at most the kernel's 64 KiB pipe
 * buffer, never a disk), and it lives in a directory only this process's user can open (0700).
 * One pipe per image in flight, reused; the directory goes when the process exits. Where FIFOs
 * cannot be made (`mkfifo` missing, not a POSIX system), `acquire` answers null and the caller
 * encodes to a buffer instead.
 */
export class ImageOutputPipes {
  private directory: string | null | undefined;
  private readonly free: string[] = [];
  private created = 0;

  /** A pipe for one encode, or null when this system has none; give it back with `release`. */
  async acquire(): Promise<string | null> {
    const reused = this.free.pop();
    if (reused) return reused;
    const directory = this.ensureDirectory();
    if (!directory) return null;
    const path = join(directory, `image-${(this.created += 1)}`);
    try {
      await promisify(execFile)('mkfifo', ['-m', '600', path]);
      return path;
    } catch {
      return null;
    }
  }

  release(path: string): void {
    this.free.push(path);
  }

  private ensureDirectory(): string | null {
    if (this.directory !== undefined) return this.directory;
    if (process.platform === 'win32') return (this.directory = null);
    const directory = mkdtempSync(join(tmpdir(), 'pathavana-images-'));
    process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
    return (this.directory = directory);
  }
}

/**
 * The bytes libvips writes into `path` while `encode(path)` runs, as they come (pieces of at
 * most the pipe's 64 KiB), then the encoder's result. The reader is open before the encoder
 * starts, and a second, idle writer end is held until the encoder settles, so the reader sees
 * the end of the file only after libvips has closed the pipe. A consumer that stops early does
 * not leave libvips blocked on a full pipe: libvips opens its target read-write (it is its own
 * reader, so it never gets EPIPE), so the rest is read and dropped until the encoder is done,
 * and the pipe is free for the next image only once every end of it is closed.
 */
export async function* encodedThroughPipe<T>(
  path: string,
  encode: (path: string) => Promise<T>,
): AsyncGenerator<Buffer, T> {
  const reader = pipeEnd(path);
  const writer = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  let writerOpen = true;
  const closeWriter = (): void => {
    if (writerOpen) closeSync(writer);
    writerOpen = false;
  };
  let settled = false;
  const encoding = encode(path).finally(() => {
    settled = true;
    closeWriter();
  });
  encoding.catch(() => undefined); // awaited below; a failure is thrown from there
  let completed = false;
  try {
    for await (const piece of reader) yield piece as Buffer;
    const result = await encoding;
    completed = true;
    return result;
  } finally {
    if (!completed && !settled) {
      // Stopped early: keep the pipe flowing until libvips gives up or finishes.
      const drain = pipeEnd(path);
      drain.resume();
      await encoding.catch(() => undefined);
      await closed(drain);
    }
    await encoding.catch(() => undefined);
    closeWriter();
    await closed(reader);
  }
}

function pipeEnd(path: string): Socket {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  return new Socket({ fd, readable: true, writable: false });
}

function closed(socket: Socket): Promise<void> {
  if (socket.closed) return Promise.resolve();
  return new Promise((resolve) => {
    socket.once('close', () => resolve());
    socket.destroy();
  });
}
