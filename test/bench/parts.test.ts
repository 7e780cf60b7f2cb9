import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pageParts, partOf, type PageParts } from '../../bench/lib/parts';

// bench/parts.ts says which of our modules each page carries. Held here against what docs/architecture.md
// says each page carries and leaves out (the code that reads, follows and logs a stored session only on
// the pages that need it; zml's messaging, the sync loop and the outbox only where a page talks to the phone).
const root = join(__dirname, '..', '..');
let pages: PageParts[];
const modulesOf = (page: string): string[] => {
  const p = pages.find((x) => x.page === page);
  if (!p) throw new Error(`no page ${page}`);
  return p.modules.map((m) => m.path);
};

beforeAll(async () => {
  pages = await pageParts(root);
});

describe('what each page carries (bench/parts)', () => {
  it('the page that speaks carries nothing of the App Service, and the App Service’s page no voice', () => {
    const service = ['core/watch/service.ts', 'page/lib/service.ts'];
    expect(modulesOf('session').filter((m) => m === 'page/lib/service.ts')).toEqual([]);
    expect(modulesOf('session')).toEqual(
      expect.arrayContaining(['page/lib/voice.ts', 'core/engine/voice.ts']),
    );
    expect(modulesOf('service-session')).toEqual(expect.arrayContaining(service));
    expect(modulesOf('service-session').filter((m) => m.includes('voice'))).toEqual([]);
  });

  it('measures every page of app.json, each module once, within its bundle', () => {
    expect(pages.map((p) => p.page)).toEqual([
      'home',
      'resume',
      'session',
      'service-session',
      'before',
      'summary',
      'cues',
      'reminders',
      'voice',
      'check',
    ]);
    for (const p of pages) {
      expect(new Set(p.modules.map((m) => m.path)).size).toBe(p.modules.length);
      expect(p.modules.reduce((s, m) => s + m.bytes, 0)).toBeLessThanOrEqual(p.total);
      expect(modulesOf(p.page)).toContain(`page/${p.page}/index.page.ts`);
    }
  });

  it('home and the question before a session carry none of the engine (home only the running keys’ names)', () => {
    expect(modulesOf('home').filter((m) => partOf(m) === 'core/engine')).toEqual([
      'core/engine/running-keys.ts',
    ]);
    expect(modulesOf('before').filter((m) => partOf(m) === 'core/engine')).toEqual([]);
  });

  it('the session pages carry neither the link to the phone nor the outbox; the summary both', () => {
    const talking = (m: string): boolean =>
      partOf(m) === 'core/link' || m === 'core/watch/outbox.ts' || m === 'core/watch/sync.ts';
    expect(modulesOf('session').filter(talking)).toEqual([]);
    expect(modulesOf('service-session').filter(talking)).toEqual([]);
    expect(modulesOf('summary').filter(talking).sort()).toEqual([
      'core/link/prescription-push.ts',
      'core/link/protocol.ts',
      'core/watch/outbox.ts',
      'core/watch/sync.ts',
    ]);
  });
});
