import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor' }) => void;
let collect: Collect | null | undefined;
let collections = 0;

/** How many young collections `collectYoungGarbage` has asked for so far (tests, diagnostics). */
export function youngCollectionsAsked(): number {
  return collections;
}

/**
 * A young-generation collection (a scavenge: ~1 ms on this API's heap), for code that streams
 * megabytes through short-lived Buffers: their bytes live outside V8's heap, so the garbage a
 * 10 MiB upload leaves (request pieces, sealed chunks) does not fill the young generation and
 * no collection frees it until much later; RSS then grows by the whole file once more. Calling
 * this every few MiB of such a stream keeps what is dead from piling up (bench/RESULTS.md).
 *
 * `gc` is reached the way Jest's leak detector reaches it: the flag is set at run time and the
 * function taken from a fresh context, so the process needs no `--expose-gc` and the application's
 * global scope gets no `gc` (contexts created afterwards do). Where that fails, this does nothing.
 */
export function collectYoungGarbage(): void {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as Collect;
    } catch {
      collect = null;
    }
  }
  collections += 1;
  collect?.({ type: 'minor' });
}

/** Bytes one stream moves between two young collections (see `collectYoungGarbage`). */
export const YOUNG_GARBAGE_EVERY_BYTES = 1024 * 1024;

/** Streams of the process being paced now (open `YoungGarbagePacer`s). */
let openPacers = 0;
/** Bytes moved by every paced stream together since the last collection. */
let movedSinceCollection = 0;

/**
 * Paces young collections for one stream: `passed(n)` after each `n` bytes it is done with,
 * `close()` at its end. The bytes of every open stream are counted together, and a collection
 * runs once they reach `everyBytes` × the number of open streams: a lone 10 MiB upload leaves at
 * most ~1 MiB of garbage, and twenty at once collect no more often than one (each collection
 * frees every stream's garbage; more often would only add pauses and promote the live state of
 * every request in flight early).
 */
export class YoungGarbagePacer {
  private open = true;

  constructor(private readonly everyBytes: number = YOUNG_GARBAGE_EVERY_BYTES) {
    openPacers += 1;
  }

  passed(bytes: number): void {
    movedSinceCollection += bytes;
    if (movedSinceCollection < this.everyBytes * Math.max(1, openPacers)) return;
    movedSinceCollection = 0;
    collectYoungGarbage();
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    openPacers -= 1;
  }
}
