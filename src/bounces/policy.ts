import type { BounceSettings } from '../config/types.js';
import type { BounceEventType } from '../store/bounce-types.js';

export type Verdict = { suppress: 'bounced' | 'complained'; why: string } | undefined;

/**
 * What an event does to its address (`newsletter.bounce`): a hard bounce suppresses it at once, a
 * complaint too (from every list: the suppression list is not per list), soft bounces when `softLimit`
 * of them (this one included) came within `softWindow`; a delay notice never does.
 */
export function verdict(
  type: BounceEventType,
  softInWindow: number,
  settings: Pick<BounceSettings, 'softLimit' | 'softWindowMs'>,
): Verdict {
  switch (type) {
    case 'hard':
      return { suppress: 'bounced', why: 'hard bounce' };
    case 'complaint':
      return { suppress: 'complained', why: 'spam complaint' };
    case 'soft': {
      if (softInWindow < settings.softLimit) return undefined;
      const days = Math.round(settings.softWindowMs / 86_400_000);
      return { suppress: 'bounced', why: `${softInWindow} soft bounces within ${days} days` };
    }
    default:
      return undefined;
  }
}
