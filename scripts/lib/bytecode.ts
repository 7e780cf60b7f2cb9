/**
 * Reads the head of a QuickJS bytecode file (`.bin`), as qjsc 2020-07-05 writes it with `-b` (what zpm runs
 * for `zeus build`): JS_WriteObject's layout in that release's quickjs.c (JS_WriteObjectAtoms):
 *
 *   u8       BC_VERSION: 1 (no bignum, little-endian; 2 with CONFIG_BIGNUM, | 0x40 big-endian)
 *   leb128   number of atoms, then each atom as a string: leb128 (length << 1 | wide), then its bytes
 *            (UTF-16 code units when wide)
 *   u8       the first object's tag: BC_TAG_FUNCTION_BYTECODE (14) for a script, BC_TAG_MODULE (15) for a module
 *
 * Enough to tell bytecode from JavaScript text (or anything else) and to read which names it holds.
 */

export const BC_VERSION = 1;
export const BC_TAG_FUNCTION_BYTECODE = 14;
export const BC_TAG_MODULE = 15;

export interface BytecodeHead {
  readonly version: number;
  readonly atoms: readonly string[];
  readonly tag: number;
}

/** Latin-1 bytes or UTF-16 code units as a string, in chunks (a string literal can be an atom of any size). */
function codeUnits(units: Uint8Array | Uint16Array): string {
  let s = '';
  for (let i = 0; i < units.length; i += 8192) s += String.fromCharCode(...units.subarray(i, i + 8192));
  return s;
}

/** The head of a QuickJS 2020-07-05 bytecode file, or a sentence saying why these bytes are not one. */
export function readBytecodeHead(bytes: Uint8Array): BytecodeHead | string {
  let at = 0;
  const byte = (): number => {
    if (at >= bytes.length) throw new RangeError('ends early');
    return bytes[at++]!;
  };
  const leb128 = (): number => {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = byte();
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
    throw new RangeError('has a LEB128 number longer than 5 bytes');
  };
  try {
    if (bytes.length === 0) return 'is empty';
    const version = byte();
    if (version !== BC_VERSION) {
      const text = /^[\s\w"'(){}[\]/!;.,=-]/.test(String.fromCharCode(version));
      return `starts with byte 0x${version.toString(16).padStart(2, '0')}, not QuickJS bytecode version ${BC_VERSION}${text ? ' (it looks like text)' : ''}`;
    }
    const count = leb128();
    if (count > bytes.length) return `claims ${count} atoms in ${bytes.length} bytes`;
    const atoms: string[] = [];
    for (let i = 0; i < count; i++) {
      const header = leb128();
      const length = Math.floor(header / 2);
      const wide = header % 2 === 1;
      const size = wide ? length * 2 : length;
      if (at + size > bytes.length) return `atom ${i} runs past the end`;
      const raw = bytes.subarray(at, at + size);
      atoms.push(codeUnits(wide ? new Uint16Array(new Uint8Array(raw).buffer) : raw));
      at += size;
    }
    const tag = byte();
    if (tag !== BC_TAG_FUNCTION_BYTECODE && tag !== BC_TAG_MODULE) {
      return `holds ${count} atoms, then tag ${tag}, not a compiled script (${BC_TAG_FUNCTION_BYTECODE}) or module (${BC_TAG_MODULE})`;
    }
    return { version, atoms, tag };
  } catch (e) {
    return (e as Error).message;
  }
}
