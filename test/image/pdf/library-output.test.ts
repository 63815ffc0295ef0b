/**
 * Console output of the PDF libraries is collected while their calls run, and restored after
 * (issue 8: pdf-lib's "Trying to parse invalid object" reached stderr).
 */

import { collectConsole, libraryNote } from '../../../src/image/pdf/library-output.js';

describe('collectConsole', () => {
  test('collects what a call prints, in order, and restores the console, also when the call throws', async () => {
    const warn = console.warn;
    const lines: string[] = [];
    const r = await collectConsole(lines, async () => {
      console.warn('Trying to parse invalid object: %j)', { line: 12 });
      await Promise.resolve();
      console.log('Invalid object ref: 2 0 R');
      return 7;
    });
    expect([r, lines]).toEqual([7, ['Trying to parse invalid object: {"line":12})', 'Invalid object ref: 2 0 R']]);
    expect(console.warn).toBe(warn);
    const failing: string[] = [];
    await expect(
      collectConsole(failing, () => {
        console.error('about to fail');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(failing).toEqual(['about to fail']); // what was printed before the failure is kept
    expect(console.warn).toBe(warn);
  });

  test('a call inside another collects into the inner one', async () => {
    const outer: string[] = [];
    const inner: string[] = [];
    await collectConsole(outer, async () => {
      console.log('outer');
      await collectConsole(inner, () => console.log('inner'));
    });
    expect([outer, inner]).toEqual([['outer'], ['inner']]);
  });

  test('libraryNote quotes the first lines and counts the rest; nothing printed, no note', () => {
    expect(libraryNote('pdf-lib', 'reading', [])).toBeUndefined();
    expect(libraryNote('pdf-lib', 'reading', ['a', 'b', 'c', 'd', 'e'])).toBe('pdf-lib printed 5 messages while reading: "a", "b", "c", and 2 more');
  });
});
