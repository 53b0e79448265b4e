import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor' }) => void;
let collect: Collect | null | undefined;

/**
 * A young-generation collection (a scavenge: ~1 ms on this API's heap), for code that streams
 * megabytes through short-lived Buffers: their bytes live outside V8's heap, so the garbage a
 * 10 MiB upload leaves (request pieces, sealed chunks) does not fill the young generation and
 * no collection frees it until much later; RSS then grows by the whole file once more. Calling
 * this every few MiB of such a stream keeps what is dead from piling up (bench/RESULTS.md).
 *
 * `gc` is reached the way Jest's leak detector reaches it: the flag is set at run time and the
 * function taken from a fresh context, so the process needs no `--expose-gc` and the global
 * scope gets no `gc`. Where that fails, this does nothing.
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
  collect?.({ type: 'minor' });
}

/** Bytes of streamed data between two young collections (see `collectYoungGarbage`). */
export const YOUNG_GARBAGE_EVERY_BYTES = 1024 * 1024;

/** Counts streamed bytes and collects the young generation every `everyBytes` of them. */
export class YoungGarbagePacer {
  private sinceLast = 0;

  constructor(private readonly everyBytes: number = YOUNG_GARBAGE_EVERY_BYTES) {}

  passed(bytes: number): void {
    this.sinceLast += bytes;
    if (this.sinceLast < this.everyBytes) return;
    this.sinceLast = 0;
    collectYoungGarbage();
  }
}
