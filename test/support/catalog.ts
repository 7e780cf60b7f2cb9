import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { po } from 'gettext-parser';
import { translator, type Translate } from '../../core/base/i18n';

export const LANGS = ['en-US', 'zh-CN', 'es-ES'] as const;
export type Lang = (typeof LANGS)[number];

const root = join(__dirname, '..', '..');

/** The message catalogue of `page` (watch) or `setting` (phone), as key → text, one per language. */
export function readCatalogs(part: 'page' | 'setting'): Record<Lang, Map<string, string>> {
  return Object.fromEntries(
    LANGS.map((lang) => {
      const parsed = po.parse(readFileSync(join(root, part, 'i18n', `${lang}.po`)));
      const entries = Object.values(parsed.translations[''] ?? {}).filter((e) => e.msgid !== '');
      return [lang, new Map(entries.map((e) => [e.msgid, e.msgstr[0] ?? '']))];
    }),
  ) as Record<Lang, Map<string, string>>;
}

/** Like getText/gettext: a missing key comes back as the key. Records every key asked for in `asked`. */
export function catalogTranslator(catalog: Map<string, string>, asked?: Set<string>): Translate {
  return translator((key) => {
    asked?.add(key);
    return catalog.get(key) ?? key;
  });
}
