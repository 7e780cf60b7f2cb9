import { Time } from '@zos/sensor';
import { utcOffsetMinutes } from '../../core/base/local-time';

/** UTC milliseconds and the watch's offset from UTC (minutes east), from the Time sensor. */
export function watchClock(): { now(): number; utcOffsetMin(): number } {
  const time = new Time();
  return {
    now: () => time.getTime(),
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
