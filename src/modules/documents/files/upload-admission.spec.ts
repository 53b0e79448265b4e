import { describe, expect, it } from '@jest/globals';
import { ProblemException } from '#libs/common/errors/problem.exception.js';
import { UploadAdmission } from './upload-admission.js';

/** A task that runs until `finish()` is called, recording when it starts. */
function task(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    finish: () => finish(),
    work: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
      return name;
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('UploadAdmission', () => {
  it('runs at most `slots` uploads at once; the others start in arrival order as slots free', async () => {
    const log: string[] = [];
    const admission = new UploadAdmission(2, 60_000);
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => task(log, name));
    const runs = [a, b, c, d].map((t) => admission.run(t!.work));
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    expect(admission.queued).toBe(2);
    b!.finish();
    await tick();
    expect(log).toEqual(['start a', 'start b', 'end b', 'start c']);
    a!.finish();
    c!.finish();
    d!.finish();
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'c', 'd']);
    expect(log.filter((line) => line.startsWith('start'))).toEqual([
      'start a',
      'start b',
      'start c',
      'start d',
    ]);
  });

  it('a failed upload frees its slot', async () => {
    const admission = new UploadAdmission(1, 60_000);
    await expect(admission.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(admission.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('an upload that waits longer than the limit gets 503 UPLOADS_BUSY with Retry-After and leaves the queue', async () => {
    const log: string[] = [];
    const admission = new UploadAdmission(1, 30);
    const holder = task(log, 'holder');
    const holding = admission.run(holder.work);
    const late = task(log, 'late');
    const refused = admission.run(late.work).catch((error: unknown) => error);
    const error = (await refused) as ProblemException;
    expect(error).toBeInstanceOf(ProblemException);
    expect(error.getStatus()).toBe(503);
    expect(error.code).toBe('UPLOADS_BUSY');
    expect(error.extras.headers).toEqual({ 'Retry-After': '5' });
    expect(admission.queued).toBe(0);
    holder.finish();
    await holding;
    // The refused upload never runs; the slot is free for the next one.
    await expect(admission.run(() => Promise.resolve('after'))).resolves.toBe('after');
    expect(log).toEqual(['start holder', 'end holder']);
  });
});
