import { Time } from '@zos/sensor';
import { utcOffsetMinutes } from '../../core/base/local-time';

const time = new Time();

/** UTC milliseconds now, from the Time sensor: the clock of every page's events and timers. */
export const nowMs = (): number => time.getTime();

/** UTC milliseconds and the watch's offset from UTC (minutes east), from the Time sensor. */
export function watchClock(): { now(): number; utcOffsetMin(): number } {
  return {
    now: nowMs,
    utcOffsetMin: () =>
      utcOffsetMinutes(time.getTime(), {
        year: time.getFullYear(),
        month: time.getMonth(),
        day: time.getDate(),
        hour: time.getHours(),
        minute: time.getMinutes(),
      }),
  };
}
