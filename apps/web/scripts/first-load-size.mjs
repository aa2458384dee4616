// Prints what a first visit downloads: index.html's script, everything it imports statically,
// and its stylesheets, gzipped. Lazy route chunks (item page, report, moderation…) are not counted.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const LIMIT_KB = 200;
const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
const entries = [...html.matchAll(/<script[^>]+src="\/([^"]+)"/g)].map((m) => m[1]);
const styles = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="\/([^"]+)"/g)].map((m) => m[1]);

const seen = new Set();
const visit = (file) => {
  if (seen.has(file)) return;
  seen.add(file);
  const code = readFileSync(path.join(dist, file), 'utf8');
  // Static imports only: `import … from "./x.js"` and `import "./x.js"`, not `import("./x.js")`.
  for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.\/[^"']+)["']/g)) visit(path.posix.join(path.posix.dirname(file), m[1]));
};
entries.forEach(visit);

const gz = (file) => gzipSync(readFileSync(path.join(dist, file))).length;
const js = [...seen].reduce((n, f) => n + gz(f), 0);
const css = styles.reduce((n, f) => n + gz(f), 0);
const kb = (n) => (n / 1024).toFixed(1);
console.log(`first load: ${seen.size} scripts ${kb(js)} KB + css ${kb(css)} KB gzipped = ${kb(js + css)} KB (limit ${LIMIT_KB} KB for scripts)`);
if (js / 1024 > LIMIT_KB) {
  console.error(`first-load JavaScript is over ${LIMIT_KB} KB gzipped`);
  process.exit(1);
}
