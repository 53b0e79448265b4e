// GET <url> every <everyMs> ms, from a process of its own, until a line arrives on stdin; then
// prints the latencies (ms, JSON) and exits. A probe inside the process that also drives the
// load measures that process's own event loop as well as the server's.
import { createInterface } from 'node:readline';

const [url, everyMs = '10'] = process.argv.slice(2);
const latencies = [];
let done = false;
createInterface({ input: process.stdin }).once('line', () => (done = true));
process.stdin.once('end', () => (done = true));
while (!done) {
  const t0 = performance.now();
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await response.arrayBuffer();
    latencies.push(performance.now() - t0);
  } catch {
    latencies.push(5000);
  }
  await new Promise((resolve) => setTimeout(resolve, Number(everyMs)));
}
process.stdout.write(JSON.stringify(latencies));
process.exit(0);
