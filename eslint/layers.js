/**
 * The project's one-way import order, as an ESLint rule (`layers/one-way`).
 *
 * core/ is grouped by capability; a folder may import from itself and from folders below it, never from
 * one above it or beside it:
 *
 *   base < plan < log < engine, link < watch, phone < screens
 *
 * The shells import core, never the other way: page/ (the watch) never reaches the phone's code, and
 * the phone's two shells (app-side/, setting/) never reach the watch's.
 */
import { dirname, relative, resolve, sep } from 'node:path';

/** Rank of each core folder: an import must go to the same folder or a lower rank. */
export const CORE_ORDER = {
  base: 0,
  plan: 1,
  log: 2,
  engine: 3,
  link: 3,
  watch: 4,
  phone: 4,
  screens: 5,
};

export const ORDER_TEXT = 'base < plan < log < engine, link < watch, phone < screens';

/** What each shell may not import (folders relative to the project root). */
const SHELL_FORBIDDEN = {
  page: ['core/phone', 'app-side', 'setting'],
  'app-side': ['core/watch', 'page', 'setting'],
  setting: ['core/watch', 'page'],
};

const toPosix = (p) => p.split(sep).join('/');

/** Where a file or an import target sits: { area: 'core', folder: 'engine' } or { area: 'page' }. */
function placeOf(path) {
  const parts = path.split('/');
  if (parts[0] === 'core') return { area: 'core', folder: parts.length > 2 ? parts[1] : null };
  return { area: parts[0] };
}

/** Why an import from `from` to `to` (both relative to the root) breaks the order, or null. */
export function violation(from, to) {
  const source = placeOf(from);
  const target = placeOf(to);
  if (source.area === 'core') {
    // A file directly in core/ is reported once, by the rule's Program check.
    if (source.folder === null) return null;
    if (target.area !== 'core') return `core/ never imports its shells (${to}): pass what it needs in.`;
    if (target.folder === null) return `${to} must sit in a core folder (${ORDER_TEXT}).`;
    const a = CORE_ORDER[source.folder];
    const b = CORE_ORDER[target.folder];
    if (a === undefined) return `core/${source.folder} is not in the folder order (${ORDER_TEXT}).`;
    if (b === undefined) return `core/${target.folder} is not in the folder order (${ORDER_TEXT}).`;
    if (source.folder === target.folder || b < a) return null;
    const how = a === b ? 'beside' : 'above';
    return `core/${source.folder} may not import core/${target.folder}, which sits ${how} it (${ORDER_TEXT}).`;
  }
  for (const banned of SHELL_FORBIDDEN[source.area] ?? []) {
    if (to === banned || to.startsWith(`${banned}/`)) {
      return `${source.area}/ may not import ${banned}/: ${source.area === 'page' ? 'the watch never runs the phone’s code' : 'the phone never runs the watch’s code'}.`;
    }
  }
  return null;
}

const oneWay = {
  meta: {
    type: 'problem',
    docs: {
      description: `imports follow the folder order ${ORDER_TEXT}; shells import core, never the reverse`,
    },
    schema: [],
  },
  create(context) {
    const root = context.cwd;
    const file = toPosix(relative(root, context.filename));
    if (file.startsWith('..')) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = toPosix(relative(root, resolve(dirname(context.filename), spec)));
      const why = violation(file, target);
      if (why) context.report({ node, message: why });
    };
    const fromSource = (node) => node.source && check(node.source, node.source.value);
    return {
      Program(node) {
        const place = placeOf(file);
        if (place.area === 'core' && place.folder === null)
          context.report({ node, message: `${file} must sit in a core folder (${ORDER_TEXT}).` });
        else if (place.area === 'core' && CORE_ORDER[place.folder] === undefined)
          context.report({
            node,
            message: `core/${place.folder} is not in the folder order (${ORDER_TEXT}).`,
          });
      },
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export default { rules: { 'one-way': oneWay } };
