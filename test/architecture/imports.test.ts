/**
 * The layers of src/ as STYLE.md draws them, checked on the import graph itself: no import
 * cycles (static imports and re-exports, type-only ones included: a cycle of types is still
 * two files that cannot be understood apart), the pure folders import nothing from `node:`,
 * and the library entry reaches no CLI code. Dynamic `import()` is not an edge: it is how
 * heavy parts (pdf-lib, pdf.js, the colour code) are loaded only when needed.
 */

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve('src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Static import and export-from specifiers of a file (comments stripped first). */
function specifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  const re = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (let m = re.exec(code); m; m = re.exec(code)) out.push(m[1]);
  return out;
}

const files = sourceFiles(SRC);
const graph = new Map<string, string[]>();
const external = new Map<string, string[]>();
for (const f of files) {
  const specs = specifiers(readFileSync(f, 'utf8'));
  graph.set(
    f,
    specs.filter((s) => s.startsWith('.')).map((s) => path.resolve(path.dirname(f), s.replace(/\.js$/, '.ts'))),
  );
  external.set(f, specs.filter((s) => !s.startsWith('.')));
}
const rel = (f: string): string => path.relative(SRC, f);

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(rel(w));
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(comp.sort());
    }
  };
  for (const f of files) if (!idx.has(f)) visit(f);
  return found;
}

describe('the import graph of src/', () => {
  it('sees the files and their imports (the parser is not blind)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(graph.get(path.join(SRC, 'index.ts'))!.length).toBeGreaterThan(3);
  });

  it('has no import cycles', () => {
    expect(cycles()).toEqual([]);
  });

  it('keeps codec/, tiff/, mime/ and fax/ pure: nothing from node:', () => {
    const impure = files
      .filter((f) => /^(codec|tiff|mime|fax)\//.test(rel(f)))
      .flatMap((f) => external.get(f)!.filter((s) => s.startsWith('node:') || ['fs', 'path', 'os', 'crypto'].includes(s)).map((s) => `${rel(f)} -> ${s}`));
    expect(impure).toEqual([]);
  });

  it('does not reach CLI code from the library entry', () => {
    const seen = new Set<string>();
    const walk = (f: string): void => {
      if (seen.has(f) || !graph.has(f)) return;
      seen.add(f);
      for (const g of graph.get(f)!) walk(g);
    };
    walk(path.join(SRC, 'index.ts'));
    expect([...seen].map(rel).filter((f) => f.startsWith('cli/'))).toEqual([]);
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const a = path.join(SRC, '__a.ts');
    const b = path.join(SRC, '__b.ts');
    graph.set(a, [b]);
    graph.set(b, [a]);
    files.push(a, b);
    try {
      expect(cycles()).toContainEqual(['__a.ts', '__b.ts']);
    } finally {
      graph.delete(a);
      graph.delete(b);
      files.splice(files.indexOf(a), 2);
    }
  });
});
