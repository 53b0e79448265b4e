import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { deprioritiseLibvipsThreads, LIBVIPS_THREAD_NICE } from './libvips-threads.js';

const libvipsThreads = (): number[] =>
  readdirSync('/proc/self/task')
    .filter((task) => {
      try {
        return readFileSync(`/proc/self/task/${task}/comm`, 'utf8') === 'libvips worker\n';
      } catch {
        return false;
      }
    })
    .map(Number);

// Linux only, like the service's deployment: thread names and nice values from /proc.
describe('deprioritiseLibvipsThreads', () => {
  it('lowers every libvips worker thread to the nice value, and leaves the event loop alone', async () => {
    await sharp({ create: { width: 300, height: 200, channels: 3, background: '#123456' } })
      .jpeg()
      .toBuffer();
    const threads = libvipsThreads();
    expect(threads.length).toBeGreaterThan(0);
    const loopBefore = getPriority(0);
    deprioritiseLibvipsThreads();
    expect(threads.map((tid) => getPriority(tid))).toEqual(threads.map(() => LIBVIPS_THREAD_NICE));
    expect(getPriority(process.pid)).toBe(loopBefore);
    expect(getPriority(0)).toBe(loopBefore);
  });
});
