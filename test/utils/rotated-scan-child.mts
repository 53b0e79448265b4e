// Child of file-content.spec: runs the upload's image work on a scan that must be turned upright
// (orientation 6) and is over libvips' default disc threshold, in a real process (Jest's
// `process.env` is a copy that never reaches libvips), and prints what it saw as JSON: files this
// process had open in the temporary directory meanwhile, and the stored image's facts.
import { readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename } from 'node:path';
import sharp from 'sharp';
import { FileContentProcessor } from '../../src/modules/documents/files/file-content.js';

const openTempFiles = (): string[] =>
  readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      // libvips' temporary files: unlinked at once (O_TMPFILE, or `vips-*.v` then unlinked).
      const temporary = target.endsWith(' (deleted)') || basename(target).startsWith('vips-');
      return target.startsWith(tmpdir()) && temporary ? [target] : [];
    } catch {
      return [];
    }
  });

const [width, height] = process.argv.slice(2).map(Number) as [number, number];
const scan = await sharp({ create: { width, height, channels: 3, background: '#3366aa' } })
  .jpeg({ quality: 60 })
  .withMetadata({ orientation: 6 })
  .toBuffer();
const seen = new Set<string>();
const watch = setInterval(() => openTempFiles().forEach((file) => seen.add(file)), 2);
const facts = await new FileContentProcessor(1).process(scan, async (file) => {
  for await (const piece of file.chunks) void piece;
  return file.facts();
});
clearInterval(watch);
process.stdout.write(JSON.stringify({ tempFiles: [...seen], facts }));
