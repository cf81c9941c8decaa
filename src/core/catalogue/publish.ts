import { defineDiagnostics } from './define.js';

/** Why a release may not be mailed (yet), and what changed while it was (publish/). */
export const publishDiagnostics = defineDiagnostics({
  'release-draft': {
    severity: 'error',
    title: 'The release is a draft, so it may not be mailed',
    message: (a: { id: string }) => `${a.id} is a draft.`,
    hint: 'Remove "draft: true" when it is ready, or send it with --test to look at it first.',
  },
  'release-not-published': {
    severity: 'error',
    title: 'The release is not published yet (its date or embargo), so it may not be mailed',
    message: (a: { id: string; until: string }) => `${a.id} is not published until ${a.until}.`,
    hint: '"scs publish" sends it when it is due; use --test to look at it before.',
  },
  'newsletter-disabled': {
    severity: 'error',
    title: 'The release says "newsletter: false"',
    message: (a: { id: string }) => `${a.id} says "newsletter: false".`,
    hint: 'Remove that line to mail it.',
  },
  'release-changed-during-dispatch': {
    severity: 'warning',
    title: 'The release file changed after its dispatch began; the remaining recipients get the new version',
    message: (a: { id: string; list: string }) => `${a.id} changed after its dispatch to "${a.list}" began.`,
    hint: 'Recipients not yet sent to get the current version; those already sent to keep the earlier one.',
  },
});
