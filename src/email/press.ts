import type { Correction } from '../content/corrections.js';
import { dayText, wallTimeText } from '../core/time.js';
import type { EmailContent } from './content.js';
import { fill } from './strings.js';

/**
 * The press office's mails of a release besides the newsletter: the embargoed briefing of a press
 * list, a correction to those who were sent the release, and a notice to the briefed that the embargo
 * moved or that the release is withdrawn.
 */
export type PressMail =
  | { kind: 'briefing'; embargo: Date }
  | { kind: 'correction'; correction: Pick<Correction, 'localDate' | 'text'> }
  | { kind: 'notice'; change: { embargo: Date } | 'withdrawn' };

/**
 * The newsletter's content made into a press mail: its subject, the banner at the top (inline
 * Markdown, sanitised like the rest when rendered) and, for a notice, nothing of the release but its
 * title and contacts. A briefing links nowhere on the web: the page is not out before the embargo.
 */
export function pressContent(content: EmailContent, mail: PressMail, timeZone: string): EmailContent {
  const s = content.strings.press;
  const subject = content.subject;
  switch (mail.kind) {
    case 'briefing': {
      const time = wallTimeText(mail.embargo, timeZone);
      return {
        ...content,
        subject: fill(s.embargoSubject, { time, subject }),
        banner: fill(s.embargoBanner, { time }),
        embargoed: true,
      };
    }
    case 'correction':
      return {
        ...content,
        subject: fill(s.correctionSubject, { subject }),
        banner: fill(s.correctionBanner, {
          date: dayText(mail.correction.localDate, content.lang),
          text: mail.correction.text,
        }),
      };
    case 'notice': {
      const notice =
        mail.change === 'withdrawn'
          ? { subject: fill(s.withdrawnSubject, { subject }), banner: s.withdrawn }
          : (() => {
              const time = wallTimeText(mail.change.embargo, timeZone);
              return {
                subject: fill(s.embargoMovedSubject, { time, subject }),
                banner: fill(s.embargoMoved, { time }),
              };
            })();
      const { hero: _hero, boilerplate: _boilerplate, ...rest } = content;
      return { ...rest, ...notice, lead: '', body: '', embargoed: mail.change !== 'withdrawn' };
    }
  }
}
