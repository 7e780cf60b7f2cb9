import { describe, expect, it } from 'vitest';
import { functionSpans, sourceHeldBytes } from '../../bench/lib/source-held';
import { bootWatch, defaultZabPath, watchPackage } from '../runtime';
import { ROUTES, settleHome, startSession } from '../runtime/flows';

// bench/lib/source-held.ts says which functions' text the double's QuickJS still holds once a page is
// built (all but zpm's two page wrappers). Checked on the built pages against the double itself: PAD
// spaces put at the start of every function body lengthen the text of that function and of every function
// around it, so the heap must grow by PAD for each (live function, body inside it) pair the rule counts,
// and not by what counting the wrappers too would predict.
const device = 'Amazfit Balance';
const PAD = 64;

function padded(code: string): string {
  const points = [...new Set(functionSpans(code).map((f) => f.body))].sort((a, b) => b - a);
  const bytes = Buffer.from(code, 'utf8');
  const parts: Buffer[] = [];
  let end = bytes.length;
  for (const p of points) {
    parts.unshift(Buffer.concat([Buffer.from(' '.repeat(PAD)), bytes.subarray(p, end)]));
    end = p;
  }
  parts.unshift(bytes.subarray(0, end));
  return Buffer.concat(parts).toString('utf8');
}

/** (function, body inside it) pairs: what PAD multiplies, over the functions `live` keeps. */
function pairs(code: string, live: (f: ReturnType<typeof functionSpans>[number]) => boolean): number {
  const spans = functionSpans(code);
  return spans
    .filter(live)
    .reduce((n, f) => n + spans.filter((g) => g.body >= f.start && g.body < f.end).length, 0);
}

async function heapOf(route: string, edit?: (code: string) => string): Promise<number> {
  const w = await bootWatch({
    device,
    zab: defaultZabPath(),
    measureHeap: true,
    ...(edit ? { patch: { [`${route}.js`]: edit } } : {}),
  });
  try {
    settleHome(w);
    if (route === ROUTES.session) startSession(w);
    expect(w.page).toBe(route);
    return w.heapBytes() - w.baselineHeap!;
  } finally {
    w.dispose();
  }
}

describe('function source text in the double’s heap (bench/lib/source-held)', () => {
  const code = (route: string): string => watchPackage(device, defaultZabPath()).files.get(`${route}.js`)!;

  it('finds zpm’s two page wrappers and the page’s own functions', () => {
    for (const route of [ROUTES.home, ROUTES.session]) {
      const spans = functionSpans(code(route));
      expect(spans.filter((f) => f.wrapper)).toHaveLength(2);
      expect(spans.length).toBeGreaterThan(100);
      // The text held is several times the file: nested functions each hold their own copy.
      expect(sourceHeldBytes(code(route))).toBeGreaterThan(code(route).length / 2);
    }
  });

  it.each([ROUTES.home, ROUTES.session])(
    '%s: the heap grows by the padding of the live functions only',
    async (route) => {
      const grown = (await heapOf(route, padded)) - (await heapOf(route));
      const live = PAD * pairs(code(route), (f) => !f.wrapper);
      const withWrappers = PAD * pairs(code(route), () => true);
      expect(Math.abs(grown - live) / live).toBeLessThan(0.1);
      expect(withWrappers / live).toBeGreaterThan(1.5);
    },
  );
});
