import { afterEach, describe, expect, it } from 'vitest';
import { bootWatch, type Watch } from '../runtime';
import { failureOf } from '../support/double-failure';
import { settleHome } from '../runtime/flows';

// The runtime double's `@zos/media` Player (test/runtime/guest/zos/media.ts, zos/media.ts) held to its
// reference pages (zeppos-docs media/create, media/Player at c08725b), on the built app's home page:
// each rule shown catching the call it forbids, each reading where the page is silent shown.
let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

const MEDIA = `var m = __$$R$$__('@zos/media'); var p = m.create(m.id.PLAYER); var log = [];
  p.addEventListener(p.event.PREPARE, function (r) { log.push('PREPARE ' + r) });
  p.addEventListener(p.event.PLAY, function (r) { log.push('PLAY ' + r) });
  p.addEventListener(p.event.COMPLETE, function (r) { log.push('COMPLETE ' + r) });
  p.addEventListener(p.event.STOP, function (r) { log.push('STOP ' + r) });
  globalThis.__p = p; globalThis.__log = log;`;
const CLIP = 'voice/en-US/breath-inhale.mp3';

describe('@zos/media Player (media/Player, API_LEVEL 3.0)', () => {
  it('setSource → prepare → PREPARE (asynchronous) → start → PLAY → COMPLETE after the MP3’s length; states as the page names them', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    w.advance(200);
    w.exec(`${MEDIA} p.setSource(p.source.FILE, { file: '${CLIP}' }); p.prepare();`);
    expect(w.exec(`[__p.getStatus() === __p.state.PREPARING, __log.length]`)).toEqual([true, 0]);
    w.advance(150);
    expect(w.exec(`[__p.getStatus() === __p.state.PREPARED, __log.join()]`)).toEqual([true, 'PREPARE true']);
    w.exec(`__p.start()`);
    w.advance(1);
    expect(w.exec(`[__p.getStatus() === __p.state.PLAY, __log.join()]`)).toEqual([
      true,
      'PREPARE true,PLAY true',
    ]);
    const [sound] = w.sounds();
    expect(sound).toMatchObject({ file: CLIP, context: 'page' });
    // The clip's length from its frames: a few hundred ms of "Breathe in".
    expect(sound!.ms).toBeGreaterThan(300);
    expect(sound!.ms).toBeLessThan(2000);
    w.advance(sound!.ms);
    expect(w.exec(`__log.join()`)).toBe('PREPARE true,PLAY true,COMPLETE true');
    w.exec(`__p.stop()`);
    expect(w.exec(`__p.getStatus() === __p.state.IDLE`)).toBe(true);
    expect(w.failures()).toEqual([]);
  });

  it('PREPARE answers false for a path that is not a packaged MP3, and start is then refused', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    w.advance(200);
    w.exec(`${MEDIA} p.setSource(p.source.FILE, { file: 'voice/en-US/nothing.mp3' }); p.prepare();`);
    w.advance(150);
    expect(w.exec(`__log.join()`)).toBe('PREPARE false');
    expect(failureOf(() => w!.exec(`__p.start()`))).toMatch(
      /Player\.start\(\) in state INITIALIZED \(it needs PREPARED or PAUSED.*harsher reading/,
    );
  });

  it('calls out of the order the page gives are refused, citing media/Player (the harsher reading)', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    w.advance(200);
    expect(failureOf(() => w!.exec(`${MEDIA} p.prepare()`))).toMatch(
      /Player\.prepare\(\) in state IDLE \(it needs INITIALIZED/,
    );
    w.dispose();
    w = await bootWatch({ device: 'Amazfit Balance' });
    w.advance(200);
    w.exec(`${MEDIA} p.setSource(p.source.FILE, { file: '${CLIP}' }); p.prepare();`);
    w.advance(150);
    // A new source needs IDLE: a prepared (or playing, or completed) player is stopped first.
    expect(failureOf(() => w!.exec(`__p.setSource(__p.source.FILE, { file: '${CLIP}' })`))).toMatch(
      /Player\.setSource\(\) in state PREPARED \(it needs IDLE/,
    );
    let records: readonly { finding?: { kind: string; page?: string } }[] = [];
    try {
      w.exec(`__p.prepare(); __p.prepare()`);
    } catch (e) {
      records = (e as { records?: typeof records }).records ?? [];
    }
    expect(records.find((r) => r.finding?.kind === 'refused')?.finding).toMatchObject({
      page: 'media/Player',
    });
  });

  it('stop() cuts what plays (STOP event), and an answer to the earlier prepare is dropped', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    w.advance(200);
    w.exec(`${MEDIA} p.setSource(p.source.FILE, { file: '${CLIP}' }); p.prepare();`);
    w.advance(150);
    w.exec(`__p.start()`);
    w.advance(100);
    w.exec(`__p.stop()`);
    w.advance(5000);
    expect(w.exec(`__log.join()`)).toBe('PREPARE true,PLAY true,STOP true');
    expect(w.sounds()[0]!.heardMs).toBe(100);
  });

  it('setVolume takes [0 - 100]; seek needs API_LEVEL 4.2 and seekTo 4.3', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    w.advance(200);
    expect(w.exec(`${MEDIA} [p.setVolume(40), p.getVolume()]`)).toEqual([true, 40]);
    expect(failureOf(() => w!.exec(`__p.setVolume(140)`))).toMatch(
      /setVolume\(140\): the volume is in \[0 - 100\]/,
    );
    expect(failureOf(() => w!.exec(`__p.seek(50)`))).toMatch(
      /Player\.seek needs API_LEVEL 4\.2 \(Zepp docs media\/Player\); Amazfit Balance has 3\.7/,
    );
    w.dispose();
    w = await bootWatch({ device: 'Amazfit Balance Ultra' });
    w.advance(200);
    expect(failureOf(() => w!.exec(`${MEDIA} p.seekTo(5)`))).toMatch(
      /not implemented by the runtime double: @zos\/media Player\.seekTo/,
    );
  });

  it('a page’s player stops with its page; the App Service may play (its availability table lists @zos/media)', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    settleHome(w);
    w.exec(`${MEDIA} p.setSource(p.source.FILE, { file: 'voice/en-US/step-setup.mp3' }); p.prepare();`);
    w.advance(150);
    w.exec(`__p.start()`);
    w.advance(500);
    w.tap(/Feel the cues|Cues/);
    expect(w.sounds()[0]!.heardMs).toBe(500);
  });

  it('on a watch without a speaker (the device list does not say which: a test does) create throws', async () => {
    w = await bootWatch({ device: 'Amazfit Balance', media: { speaker: false } });
    w.advance(200);
    expect(
      w.exec(
        `var m = __$$R$$__('@zos/media'); try { m.create(m.id.PLAYER); 'made' } catch (e) { String(e.message) }`,
      ),
    ).toMatch(/no speaker/);
    expect(w.failures()).toEqual([]);
  });
});

describe('@zos/ui IMG (ui/widget/IMG): src is an image of the package', () => {
  const img = (src: string) =>
    `var ui = __$$R$$__('@zos/ui'); ui.createWidget(ui.widget.IMG, { x: 120, y: 60, w: 240, h: 120, src: '${src}' }); 1`;

  it('a packaged picture is shown; a src the package lacks is refused (the page is silent on it: harsher reading)', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    w.advance(200);
    w.exec(img('pictures/ribsDown.png'));
    expect(w.screen().widgets.find((g) => g.type === 'IMG')?.props.src).toBe('pictures/ribsDown.png');
    expect(failureOf(() => w!.exec(img('pictures/nothing.png')))).toMatch(
      /createWidget\(widget\.IMG\): src "pictures\/nothing\.png" is no file of the package's assets/,
    );
  });

  it('its own page’s second example sets src, angle and more through prop.MORE: allowed; a missing src still refused', async () => {
    w = await bootWatch({ device: 'Amazfit Balance' });
    w.advance(200);
    const more = (props: string) =>
      `var ui = __$$R$$__('@zos/ui'); var i = ui.createWidget(ui.widget.IMG, { x: 0, y: 0, src: 'pictures/hold.png' }); i.setProperty(ui.prop.MORE, ${props}); 1`;
    w.exec(
      more(
        `{ x: 0, y: 0, w: 240, h: 120, pos_x: 10, pos_y: 20, center_x: 120, src: 'pictures/relax.png', angle: 30 }`,
      ),
    );
    const shown = w
      .screen()
      .widgets.filter((g) => g.type === 'IMG')
      .map((g) => [g.props.src, g.props.angle]);
    expect(shown).toEqual([['pictures/relax.png', 30]]);
    expect(failureOf(() => w!.exec(more(`{ src: 'pictures/nothing.png' }`)))).toMatch(
      /IMG setProperty\(prop\.MORE, \{ src \}\): src "pictures\/nothing\.png" is no file/,
    );
    // A key its page neither lists in an example nor in a table stays refused.
    expect(failureOf(() => w!.exec(more(`{ alpha: 100 }`)))).toMatch(/"alpha" is not in/);
  });
});
