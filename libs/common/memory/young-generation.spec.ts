import { PerformanceObserver, constants } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  collectYoungGarbage,
  YoungGarbagePacer,
  youngCollectionsAsked,
} from './young-generation.js';

const MiB = 1024 * 1024;

describe('collectYoungGarbage', () => {
  it('runs a minor (young-generation) collection in a process started without --expose-gc', async () => {
    let minor = 0;
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const { kind } = (entry as unknown as { detail: { kind: number } }).detail;
        if (kind === constants.NODE_PERFORMANCE_GC_MINOR) minor += 1;
      }
    });
    observer.observe({ entryTypes: ['gc'] });
    collectYoungGarbage();
    await new Promise((resolve) => setTimeout(resolve, 20));
    observer.disconnect();
    expect(minor).toBeGreaterThanOrEqual(1);
  });
});

describe('YoungGarbagePacer', () => {
  const open: YoungGarbagePacer[] = [];
  const pacer = (): YoungGarbagePacer => {
    const created = new YoungGarbagePacer(MiB);
    open.push(created);
    return created;
  };
  afterEach(() => open.splice(0).forEach((each) => each.close()));
  const asked = (work: () => void): number => {
    const before = youngCollectionsAsked();
    work();
    return youngCollectionsAsked() - before;
  };

  it('collects once a lone stream has moved its interval of bytes', () => {
    const stream = pacer();
    expect(asked(() => stream.passed(MiB - 1))).toBe(0);
    expect(asked(() => stream.passed(1))).toBe(1);
    expect(asked(() => stream.passed(MiB / 2))).toBe(0);
  });

  it('with streams open together, collects once their bytes reach the interval × their number', () => {
    const [a, b, c] = [pacer(), pacer(), pacer()];
    expect(asked(() => (a.passed(MiB), b.passed(MiB)))).toBe(0);
    expect(asked(() => c.passed(MiB))).toBe(1);
    // Closed streams no longer count: the one left collects at its own interval again.
    a.close();
    b.close();
    b.close(); // closing twice counts once
    expect(asked(() => c.passed(MiB))).toBe(1);
  });
});
