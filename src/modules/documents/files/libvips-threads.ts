import { readdirSync, readFileSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** Nice value for libvips' worker threads: below the event loop's share of a busy core. */
export const LIBVIPS_THREAD_NICE = 10;

/**
 * Lowers the scheduling priority of libvips' worker threads (Linux; elsewhere nothing), so a
 * re-encode running on every core still lets the event loop in at once: a probe answered 30–80 ms
 * late during 20 concurrent uploads when image work and the loop shared two cores at equal
 * priority (bench/RESULTS.md). On Linux the nice value is per thread, so this does not touch the
 * event loop, the libuv pool or PostgreSQL; raising one's own nice value needs no privilege.
 * libvips names its threads and keeps them between images, so a look at `/proc/self/task` after
 * an image finds the new ones.
 */
export function deprioritiseLibvipsThreads(): void {
  if (process.platform !== 'linux') return;
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return;
  }
  for (const task of tasks) {
    try {
      if (readFileSync(`/proc/self/task/${task}/comm`, 'utf8') !== 'libvips worker\n') continue;
      const tid = Number(task);
      if (getPriority(tid) < LIBVIPS_THREAD_NICE) setPriority(tid, LIBVIPS_THREAD_NICE);
    } catch {
      // The thread ended meanwhile.
    }
  }
}
