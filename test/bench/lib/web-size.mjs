// The web client's first load: the entry script and every chunk index.html preloads, gzipped.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export function firstLoadJs(distDir = 'apps/web/dist') {
  const index = path.join(distDir, 'index.html');
  if (!existsSync(index)) return null;
  const html = readFileSync(index, 'utf8');
  const files = new Set();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)) files.add(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*>/g)) {
    const href = /\bhref="([^"]+)"/.exec(m[0]);
    if (href) files.add(href[1]);
  }
  const out = [];
  for (const f of files) {
    const buf = readFileSync(path.join(distDir, f.replace(/^\//, '')));
    out.push({ file: f, bytes: buf.length, gzipBytes: gzipSync(buf).length });
  }
  return {
    files: out,
    bytes: out.reduce((s, f) => s + f.bytes, 0),
    gzipBytes: out.reduce((s, f) => s + f.gzipBytes, 0),
  };
}
