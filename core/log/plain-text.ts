import { foldRepairs } from './session-log';

/**
 * Free text as the phone keeps it. `repairs` is the only free text a log has; what the watch writes
 * there is plain, but a log from elsewhere (an older watch, a hostile sender) may hold anything, and
 * the CSV and FHIR R4 exports must not. So the phone makes it plain where a log enters, from a request
 * or from its own storage (core/phone), before the log's checks: no control character, no whitespace
 * but the space (line and paragraph separators, tabs, no-break spaces: R4's `string` refuses them), no
 * half of a surrogate pair standing alone. Each such character is stored as its code point in
 * brackets ("[U+2028]"), so what it was stays readable, and one more repair sentence says so.
 */
export function plainText(text: string): { readonly text: string; readonly replaced: number } {
  let out = '';
  let replaced = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i]! + text[i + 1]!;
        i++;
        continue;
      }
    }
    if (unfit(c)) {
      out += `[U+${c.toString(16).toUpperCase().padStart(4, '0')}]`;
      replaced++;
    } else out += text[i];
  }
  return { text: out, replaced };
}

/** At most 300 UTF-16 units of `text` (a sentence of a log), never ending on half a surrogate pair. */
function cut(text: string): string {
  if (text.length <= 300) return text;
  let end = 299;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

const unfit = (c: number): boolean =>
  c < 0x20 ||
  (c >= 0x7f && c <= 0xa0) ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff ||
  (c >= 0xd800 && c <= 0xdfff);

/**
 * A log value (not yet checked) with its repair sentences made plain, said so in one more sentence,
 * and folded to what a log holds (`foldRepairs`); anything else, and a value with nothing to change,
 * comes back as it is. The result of a call comes back unchanged from a second.
 */
export function plainLog(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const repairs = (value as { repairs?: unknown }).repairs;
  if (!Array.isArray(repairs) || repairs.length === 0 || !repairs.every((s) => typeof s === 'string' && s))
    return value;
  let replaced = 0;
  const plain = (repairs as string[]).map((s) => {
    const p = plainText(s);
    replaced += p.replaced;
    return cut(p.text);
  });
  if (replaced > 0)
    plain.push(
      `repairs held ${replaced} character${replaced === 1 ? '' : 's'} a log may not hold (controls, line breaks, unpaired surrogates); each was replaced by its code, e.g. [U+2028].`,
    );
  // The last sentence of a folded list names first words, which may end on half a pair once cut.
  const folded = foldRepairs(plain).map((s) => s.replace(/[\ud800-\udbff]$/, ''));
  const same = folded.length === repairs.length && folded.every((s, i) => s === repairs[i]);
  return same ? value : { ...value, repairs: folded };
}
