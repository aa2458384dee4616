import type { ManifestChunk } from './web-client.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The built index.html with a rendered page put into it: <html lang dir>, the title, the page's
 * own chunk and stylesheet (so its script arrives with the entry's, and its styles before the
 * first paint), the markup in #root and the state element after it. Nothing inline runs: the
 * state is a `<script type="application/json">`, which the CSP lets be since it never executes.
 */
export class PageTemplate {
  private readonly preloaded: Set<string>;
  /** The shell without its scripts, and the scripts (entry and modulepreloads), which a rendered page loads after its text. */
  private readonly withoutScripts: string;
  private readonly scripts: string;

  constructor(
    private readonly html: string,
    private readonly manifest: Record<string, ManifestChunk>,
  ) {
    this.preloaded = new Set([...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!));
    const scriptTags = /\s*(<script\b[^>]*\bsrc="[^"]*"[^>]*><\/script>|<link\b[^>]*\brel="modulepreload"[^>]*>)/g;
    this.scripts = [...html.matchAll(scriptTags)].map((m) => m[1]).join('');
    this.withoutScripts = html.replace(scriptTags, '');
  }

  /** The page without server rendering: the browser draws it. */
  shell(): string {
    return this.html;
  }

  /**
   * A rendered page. Its scripts come after its text: on a slow link the bytes of the text are not
   * shared with those of the scripts (which the browser would start fetching the moment it saw
   * them in <head>), so the text is on screen first; module scripts run after parsing either way.
   */
  page(p: { html: string; stateScript: string; title: string; htmlLang: string; dir: string; modules: string[] }): string {
    const { styles, scripts } = this.linksFor(p.modules);
    return this.withoutScripts
      .replace(/<html\b[^>]*>/, `<html lang="${escapeHtml(p.htmlLang)}" dir="${escapeHtml(p.dir)}">`)
      .replace(/<title>[^<]*<\/title>/, () => `<title>${escapeHtml(p.title)}</title>`)
      .replace('</head>', () => `${styles}</head>`)
      .replace('<div id="root"></div>', () => `<div id="root">${p.html}</div>${this.scripts}${scripts}${p.stateScript}`);
  }

  /** modulepreload and stylesheet links for these source modules' chunks and the chunks they import (not those the shell already loads). */
  private linksFor(modules: string[]): { styles: string; scripts: string } {
    const scripts = new Set<string>();
    const styles = new Set<string>();
    const visit = (key: string) => {
      const chunk = this.manifest[key];
      if (!chunk) return;
      const file = `/${chunk.file}`;
      if (scripts.has(file)) return;
      scripts.add(file);
      for (const css of chunk.css ?? []) styles.add(`/${css}`);
      for (const imp of chunk.imports ?? []) visit(imp);
    };
    for (const m of modules) visit(m);
    let css = '';
    let js = '';
    for (const href of styles) if (!this.preloaded.has(href)) css += `<link rel="stylesheet" href="${escapeHtml(href)}">`;
    for (const href of scripts) if (!this.preloaded.has(href)) js += `<link rel="modulepreload" crossorigin href="${escapeHtml(href)}">`;
    return { styles: css, scripts: js };
  }
}
