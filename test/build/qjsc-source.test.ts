import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileToBytecode, qjscPath } from '../../scripts/lib/qjsc';
import { quickjs } from '../runtime/vm';

// What a watch holds of a page's functions: qjsc 2020-07-05's bytecode (what a release package installs)
// keeps no source text, while the double's QuickJS keeps each function's whole text for toString. So the
// double's heap after a page is built overstates the watch's by that text (bench/lib/source-held.ts,
// docs/platform-facts.md B16).
const root = join(__dirname, '..', '..');
const body = 'return alpha*beta+gamma/delta-epsilon';
const code = `var tally=function tallyUp(alpha,beta,gamma,delta,epsilon){${body}};var out=tally(2,3,8,4,1);`;

describe('function source text: the watch’s bytecode and the double', () => {
  it('qjsc 2020-07-05 writes the names the code uses but none of its text', async () => {
    const bin = Buffer.from(
      await compileToBytecode(qjscPath(root), 'page/probe/index.page.js', Buffer.from(code)),
    );
    // Names are atoms, kept for the bytecode to run…
    expect(bin.includes('tallyUp')).toBe(true);
    expect(bin.includes('epsilon')).toBe(true);
    // …but not a byte of the text they were written in.
    expect(bin.includes('alpha*beta')).toBe(false);
    expect(bin.includes('function tallyUp(')).toBe(false);
    expect(bin.includes('return')).toBe(false);
  });

  it('the double’s QuickJS keeps the text of each function, byte for byte', async () => {
    const qjs = await quickjs();
    const ctx = qjs.newContext();
    try {
      const r = ctx.unwrapResult(ctx.evalCode(`${code}[out, tally.toString()]`));
      const [out, text] = ctx.dump(r) as [number, string];
      r.dispose();
      expect(out).toBe(2 * 3 + 8 / 4 - 1);
      expect(text).toBe(`function tallyUp(alpha,beta,gamma,delta,epsilon){${body}}`);
    } finally {
      ctx.dispose();
    }
  });
});
