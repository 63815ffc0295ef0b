/**
 * The page tree (PDF 32000-1 §7.7.3): page tree nodes (/Type /Pages, /Kids, /Count) down to
 * page objects (/Type /Page), in document order, with the inheritable attributes of §7.7.3.4
 * (Resources, MediaBox, CropBox, Rotate) carried down from the nearest ancestor that has them.
 * Loops (a node among its own descendants) and depth are guarded: a node is visited once, the
 * tree is at most MAX_PDF_NESTING deep and at most MAX_PAGES pages are collected.
 */

import { MAX_PAGES, MAX_PDF_NESTING } from '../../../limits.js';
import type { PdfObjects } from './document.js';
import { PdfDict, PdfName, PdfRef, type PdfObject } from './model.js';

/** The attributes a page inherits (§7.7.3.4, Table 30's "inheritable" entries). */
export const INHERITABLE = ['Resources', 'MediaBox', 'CropBox', 'Rotate'] as const;

/** One page: its dictionary, and its inheritable attributes resolved up the tree. */
export interface PageNode {
  dict: PdfDict;
  /** Inheritable attributes, the page's own or its nearest ancestor's (unresolved as stored). */
  inherited: Partial<Record<(typeof INHERITABLE)[number], PdfObject>>;
}

/** The tree as read, and what it says about itself. */
export interface PageTree {
  pages: PageNode[];
  /** The root's /Count, when it is a number: a tree whose leaves disagree is damaged. */
  declaredCount?: number;
}

/** Why the tree cannot be walked. */
export class PageTreeError extends Error {}

/** Walks the catalog's /Pages tree. */
export function readPageTree(doc: PdfObjects): PageTree {
  const rootRef = doc.catalog().get('Pages');
  const root = doc.resolve(rootRef);
  if (!(root instanceof PdfDict)) throw new PageTreeError('the catalog has no /Pages tree');
  const pages: PageNode[] = [];
  const seen = new Set<PdfDict | number>();
  const walk = (node: PdfDict, inherited: PageNode['inherited'], depth: number): void => {
    if (depth > MAX_PDF_NESTING) throw new PageTreeError(`the page tree is deeper than MAX_PDF_NESTING (${MAX_PDF_NESTING})`);
    const own: PageNode['inherited'] = { ...inherited };
    for (const key of INHERITABLE) {
      const v = node.get(key);
      if (v !== undefined) own[key] = v;
    }
    const type = doc.get(node, 'Type');
    const kids = doc.get(node, 'Kids');
    // A node is a page by /Type /Page, or (leniently, as viewers are) by having no /Kids.
    if ((type instanceof PdfName && type.name === 'Page') || !Array.isArray(kids)) {
      if (pages.length >= MAX_PAGES) throw new PageTreeError(`more than MAX_PAGES (${MAX_PAGES}) pages`);
      pages.push({ dict: node, inherited: own });
      return;
    }
    for (const kid of kids) {
      const key = kid instanceof PdfRef ? kid.num : undefined;
      const child = doc.resolve(kid);
      if (!(child instanceof PdfDict)) continue; // a null kid: skipped, as pdf.js does
      const id = key ?? child;
      if (seen.has(id)) throw new PageTreeError('the page tree has a loop');
      seen.add(id);
      walk(child, own, depth + 1);
    }
  };
  seen.add(rootRef instanceof PdfRef ? rootRef.num : root);
  walk(root, {}, 0);
  const count = doc.get(root, 'Count');
  return { pages, ...(typeof count === 'number' ? { declaredCount: count } : {}) };
}
