// Prints the top self-time and inclusive frames of a .cpuprofile: node bench/profile-top.mjs <file> [n]
import { readFileSync } from 'node:fs';

const [file, limit = '25'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const counts = new Map();
for (const sample of profile.samples) counts.set(sample, (counts.get(sample) ?? 0) + 1);
const parent = new Map();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parent.set(child, node.id);
const label = (node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url
    ? `${url.replace(/^.*node_modules\//, '~/').replace(/^file:\/\/.*\/(dist|bench)\//, '$1/')}:${lineNumber + 1}`
    : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
};
const inclusive = new Map();
let total = 0;
for (const [id, n] of counts) {
  total += n;
  const node = byId.get(id);
  self.set(label(node), (self.get(label(node)) ?? 0) + n);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const key = label(byId.get(cur));
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + n);
  }
}
const show = (title, map) => {
  console.log(`\n${title} (of ${total} samples)`);
  for (const [key, n] of [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(limit))) {
    console.log(`${((100 * n) / total).toFixed(1).padStart(5)}%  ${key}`);
  }
};
show('self time', self);
show('inclusive time', inclusive);
