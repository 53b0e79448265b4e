import { execFile } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { Socket, type SocketConstructorOpts } from 'node:net';
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

  /** `root`: where the private directory is made (the system's temporary directory). */
  constructor(private readonly root: string = tmpdir()) {}

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
      this.directory = null; // no FIFOs here: buffers from now on, no mkfifo per upload
      return null;
    }
  }

  release(path: string): void {
    this.free.push(path);
  }

  private ensureDirectory(): string | null {
    if (this.directory !== undefined) return this.directory;
    if (process.platform === 'win32') return (this.directory = null);
    try {
      const directory = mkdtempSync(join(this.root, 'pathavana-images-'));
      process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
      return (this.directory = directory);
    } catch {
      return (this.directory = null); // a temporary directory we cannot write: buffers instead
    }
  }
}

/** Bytes per piece handed on: one sealed chunk of the store's format. */
const PIECE_BYTES = 64 * 1024;
/** Whole pieces waiting for the consumer before the pipe is left to fill (and libvips waits). */
const PIECES_AHEAD = 2;

/**
 * The bytes libvips writes into `path` while `encode(path)` runs, in pieces of 64 KiB (the last
 * one shorter), then the encoder's result. libvips writes ~8 KiB at a time; each read lands in
 * one reused buffer and is copied into the piece being filled, so the reader allocates nothing
 * per read and the consumer runs once per 64 KiB. The reader is open before the encoder starts,
 * and a second, idle writer end is held until the encoder settles, so the reader sees the end of
 * the file only after libvips has closed the pipe. A consumer that stops early does not leave
 * libvips blocked on a full pipe: libvips opens its target read-write (it is its own reader, so
 * it never gets EPIPE), so the rest is read and dropped until the encoder is done, and the pipe
 * is free for the next image only once every end of it is closed.
 */
export async function* encodedThroughPipe<T>(
  path: string,
  encode: (path: string) => Promise<T>,
): AsyncGenerator<Buffer, T> {
  const reader = new PieceReader(path);
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
    for (let piece = await reader.next(); piece; piece = await reader.next()) yield piece;
    const result = await encoding;
    completed = true;
    return result;
  } finally {
    if (!completed && !settled) reader.discardTheRest();
    await encoding.catch(() => undefined);
    closeWriter();
    await reader.close();
  }
}

/** Reads a FIFO into 64 KiB pieces, a few ahead of the consumer at most. */
class PieceReader {
  private readonly socket: Socket;
  private readonly ready: Buffer[] = [];
  private piece = Buffer.allocUnsafe(PIECE_BYTES);
  private filled = 0;
  private ended = false;
  private discarding = false;
  /** The last `take` answered false: Node stopped reading the handle (not a Readable pause). */
  private stopped = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  constructor(path: string) {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    // `onread` (one reused buffer, no allocation per read) is taken by the constructor as by
    // `connect`; @types/node only declares it for the latter.
    const options = {
      fd,
      readable: true,
      writable: false,
      onread: { buffer: Buffer.allocUnsafe(PIECE_BYTES), callback: this.take.bind(this) },
    };
    this.socket = new Socket(options as SocketConstructorOpts);
    this.socket.resume();
    this.socket.once('end', () => this.finish());
    this.socket.once('error', (error) => {
      this.failure = error;
      this.finish();
    });
  }

  /** The next whole piece, or null at the end of the file. */
  async next(): Promise<Buffer | null> {
    for (;;) {
      const piece = this.ready.shift();
      if (piece) {
        if (this.stopped && !this.ended) {
          this.stopped = false;
          // In `onread` mode, resume() starts reading the handle again (net.Socket).
          this.socket.resume();
        }
        return piece;
      }
      if (this.failure) throw this.failure;
      if (this.ended) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** From now on, whatever comes is read and dropped (the consumer has stopped). */
  discardTheRest(): void {
    this.discarding = true;
    this.ready.length = 0;
    this.stopped = false;
    this.socket.resume();
  }

  close(): Promise<void> {
    if (this.socket.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.destroy();
    });
  }

  /** onread: copies the bytes into the piece being filled; false pauses the socket. */
  private take(length: number, buffer: Buffer): boolean {
    if (this.discarding) return true;
    let at = 0;
    while (at < length) {
      const copied = buffer.copy(this.piece, this.filled, at, length);
      this.filled += copied;
      at += copied;
      if (this.filled === PIECE_BYTES) this.handOn(PIECE_BYTES);
    }
    this.stopped = this.ready.length >= PIECES_AHEAD;
    return !this.stopped;
  }

  private finish(): void {
    if (this.ended) return;
    if (this.filled > 0 && !this.discarding) this.handOn(this.filled);
    this.ended = true;
    this.signal();
  }

  private handOn(length: number): void {
    this.ready.push(length === PIECE_BYTES ? this.piece : this.piece.subarray(0, length));
    this.piece = Buffer.allocUnsafe(PIECE_BYTES);
    this.filled = 0;
    this.signal();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
