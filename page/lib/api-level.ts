// Apart from page/lib/platform: a page that does not ask (home) does not import @zos/settings.
import { getSystemInfo } from '@zos/settings';

/** "3.6" → 3.6, as a comparable number; an unreadable value counts as the lowest level we support. */
export function apiLevel(): number {
  const level = Number.parseFloat(String(getSystemInfo().minAPI));
  return Number.isFinite(level) ? level : 3.0;
}
