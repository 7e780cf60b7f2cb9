/**
 * How much of a page's heap in the runtime double is its own source text, which the watch does not hold.
 *
 * The double evaluates a page's JavaScript with a recent QuickJS, which keeps every function's source text
 * beside its bytecode (for `Function.prototype.toString`). A watch loads the page as qjsc 2020-07-05
 * bytecode, which holds no source at all (docs/platform-facts.md B16; test/build/qjsc-source.test.ts). So
 * the double's heap after a page is built is an upper bound of the watch's by about the source text of the
 * functions still alive.
 *
 * Which functions are alive: all of the page's functions but the two that zpm wraps around each page
 * (`try{(()=>{…(function(context){with(context){…}})…})()}`): they run once when the page loads and are
 * released with their text; every other function is held by the page's closures or by its parent's
 * constant pool. test/bench/source-held.test.ts checks this against the double itself: padding the inside
 * of every function grows the heap by what this count predicts.
 */
import ts from 'typescript';

export interface FunctionSpan {
  /** Byte offsets (UTF-8) of the function's text in the file, as QuickJS copies it. */
  readonly start: number;
  readonly end: number;
  /** Where its body begins (a point inside the function's own text and its parents'). */
  readonly body: number;
  /** One of zpm's two page wrappers (run once at load). */
  readonly wrapper: boolean;
}

/** Every function of a built page file (declarations, expressions, arrows, methods, accessors). */
export function functionSpans(code: string): FunctionSpan[] {
  const file = ts.createSourceFile('page.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  // Offsets in UTF-16 units from the parser; QuickJS copies bytes.
  const bytesBefore = (i: number): number => Buffer.byteLength(code.slice(0, i), 'utf8');
  const spans: FunctionSpan[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node)) {
      const body = (node as ts.FunctionLikeDeclarationBase).body;
      if (body) {
        const start = node.getStart(file);
        // A wrapper encloses the page's whole module: more than half the file (no function of a page does).
        spans.push({
          start: bytesBefore(start),
          end: bytesBefore(node.end),
          body: bytesBefore(body.getStart(file)),
          wrapper: node.end - start > code.length / 2,
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return spans;
}

/** Bytes of source text the double's QuickJS keeps for the page's live functions (each with its NUL). */
export function sourceHeldBytes(code: string): number {
  return functionSpans(code)
    .filter((f) => !f.wrapper)
    .reduce((sum, f) => sum + (f.end - f.start) + 1, 0);
}
