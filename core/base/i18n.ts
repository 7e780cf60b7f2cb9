/**
 * Words on screen come from the platform's catalogue (`page/i18n/*.po`, `getText` on the watch); core
 * only names keys and fills placeholders, so views stay testable with any catalogue.
 */
export type Params = Readonly<Record<string, string | number>>;
export type Translate = (key: string, params?: Params) => string;

/** Fills `{name}` placeholders; an unknown placeholder stays visible rather than vanishing. */
export function fill(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** A translator over a lookup that returns the key itself when it has no entry (as getText does). */
export function translator(lookup: (key: string) => string): Translate {
  return (key, params) => fill(lookup(key), params);
}
