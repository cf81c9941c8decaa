import { defineDiagnostics } from './define.js';

/** The permalinks file, as the user knows it (it sits next to the config). */
const PERMALINKS = 'scs.permalinks';

const KEEP_ADDRESS =
  'Restore the release file and set "withdrawn: true" in it (with a "withdrawnReason:") instead: its address then shows a notice.';

/**
 * The press office's workflow (issue 16): corrections, pre-briefing, withdrawn releases, and the
 * addresses the archive has published (scs.permalinks).
 */
export const pressDiagnostics = defineDiagnostics({
  'correction-date-invalid': {
    severity: 'error',
    title: 'A correction has no valid date',
    message: (a: { date: string; impossible: boolean }) =>
      a.impossible ? `The correction date "${a.date}" does not exist.` : `"${a.date}" is not a date.`,
    hint: 'Write the day the correction was made as YYYY-MM-DD, e.g. "date: 2026-12-08".',
  },
  'correction-before-release': {
    severity: 'error',
    title: 'A correction is dated before the release',
    message: (a: { date: string; release: string }) =>
      `The correction is dated ${a.date}, before the release itself (${a.release}).`,
    hint: 'A correction is made after publication: give the day it was made.',
  },
  'correction-in-future': {
    severity: 'error',
    title: 'A correction is dated in the future',
    message: (a: { date: string; now: string }) =>
      `The correction is dated ${a.date}, which has not come yet (it is now ${a.now}).`,
    hint: 'Date a correction the day it is made (today or earlier).',
  },
  'correction-date-duplicate': {
    severity: 'error',
    title: 'Two corrections on one day',
    message: (a: { date: string }) => `Two corrections are dated ${a.date}.`,
    hint: 'Make them one correction (a correction is sent once per day it is dated), or date each the day it was made.',
  },
  'correction-removed': {
    severity: 'error',
    title: 'A correction that was mailed is gone',
    message: (a: { date: string }) =>
      `The correction dated ${a.date} has been mailed to the release's recipients, and is no longer in the release.`,
    hint: "Put it back as it was: what was mailed stays on the record. To correct it, add a new correction with today's date.",
  },
  'correction-edited': {
    severity: 'error',
    title: 'A correction that was mailed has been changed',
    message: (a: { date: string; sent: string }) =>
      `The correction dated ${a.date} has been mailed as "${a.sent}", and its text has changed since.`,
    hint: "Restore the text that was mailed, and add a new correction with today's date for what is still wrong.",
  },
  'inline-html': {
    severity: 'error',
    title: 'HTML in a correction or a withdrawal reason',
    message: (a: { field: string; html: string }) => `The ${a.field} contains HTML (${a.html}).`,
    hint: 'Write it as text with Markdown only: *emphasis*, **bold**, [link text](https://…).',
  },
  'prebrief-without-embargo': {
    severity: 'error',
    title: '"prebrief" without an embargo',
    message: () => '"prebrief" briefs journalists before the embargo, but the release has no embargo.',
    hint: 'Add "embargo:" with the date and time the release may be published, or remove "prebrief".',
  },
  'prebrief-invalid': {
    severity: 'error',
    title: '"prebrief" is not a duration',
    message: (a: { value: string }) => `"prebrief" must be a duration or true, not "${a.value}".`,
    hint: 'Write how long before the embargo to brief, such as 2h, 90m or 1d; or true to brief as soon as scs has the release.',
  },
  'withdrawn-date-invalid': {
    severity: 'error',
    title: '"withdrawn" is neither true nor a date',
    message: (a: { value: string }) => `"withdrawn" must be true or a date, not "${a.value}".`,
    hint: 'Write "withdrawn: true", or the day it was withdrawn: "withdrawn: 2026-12-09".',
  },
  'release-withdrawn': {
    severity: 'error',
    title: 'A withdrawn release is not mailed',
    message: (a: { id: string }) => `${a.id} is withdrawn.`,
    hint: 'Remove "withdrawn:" if it was withdrawn by mistake; a withdrawn release is never mailed.',
  },
  'withdrawn-reason-alone': {
    severity: 'error',
    title: '"withdrawnReason" on a release that is not withdrawn',
    message: () => '"withdrawnReason" is given, but the release is not withdrawn.',
    hint: 'Add "withdrawn: true" (or the date it was withdrawn), or remove "withdrawnReason".',
  },
  'embargo-local-time': {
    severity: 'note',
    title: 'An embargo without a UTC offset',
    message: (a: { embargo: string; zone: string; read: string }) =>
      `The embargo "${a.embargo}" has no UTC offset: it is read in ${a.zone}, as ${a.read}.`,
    hint: (a: { read: string }) =>
      `Journalists elsewhere read it too: write the offset to make it plain ("embargo: ${a.read}").`,
  },
  'press-list-public-field': {
    severity: 'error',
    title: 'A press list with a field of the public sign-up form',
    message: (a: { list: string; field: string }) =>
      `The press list "${a.list}" has "${a.field}", which only the public sign-up form shows; press lists are not on it.`,
    hint: (a: { field: string }) =>
      `Remove "${a.field}" (the press office adds journalists with "scs subscribers add"), or remove "audience: press" to make it a public list.`,
  },
  'press-reason-missing': {
    severity: 'error',
    title: 'A journalist added to a press list without a reason',
    message: (a: { list: string; email: string }) =>
      `${a.email} would be added to the press list ${a.list} without a reason: a press list has no sign-up, so the reason is the consent record.`,
    hint: 'Say why they are on it, e.g. --reason "asked for our releases at the fair, 2026-11-03".',
  },
  'permalinks-invalid': {
    severity: 'error',
    title: `A line of ${PERMALINKS} cannot be read`,
    message: (a: { text: string; reason: string }) =>
      `"${a.text}" is not an address and a release file: ${a.reason}.`,
    hint: 'Each line is "/<lang>/YYYY/MM/DD/<slug>/ <release file>", or a comment starting with "#". Restore the line from version control (git checkout scs.permalinks).',
  },
  'permalinks-unreadable': {
    severity: 'error',
    title: `${PERMALINKS} cannot be read`,
    message: (a: { reason: string }) => `Cannot read ${PERMALINKS} (${a.reason}).`,
    hint: 'It must be a text file in the project folder that you may read; restore it from version control.',
  },
  'permalinks-duplicate': {
    severity: 'error',
    title: `An address is listed twice in ${PERMALINKS}`,
    message: (a: { url: string; first: number }) => `${a.url} is listed twice (first on line ${a.first}).`,
    hint: 'An address belongs to one release: keep the line naming the release it was published for.',
  },
  'permalink-moved': {
    severity: 'warning',
    title: "A release's address changes",
    message: (a: { from: string; to: string; slug: string }) =>
      `The address of this release changes from ${a.from} to ${a.to}; the old address will redirect to the new one.`,
    hint: (a: { slug: string }) =>
      `If that is what you want, run "scs build" and commit ${PERMALINKS}. To keep the old address, set "slug: ${a.slug}" (and the old date, if it changed).`,
  },
  'permalink-redirect': {
    severity: 'note',
    title: 'An old address redirects',
    message: (a: { from: string; to: string }) => `${a.from} redirects to ${a.to}.`,
    hint: 'The release moved once; its old address keeps answering with a redirect.',
  },
  'permalink-unrecorded': {
    severity: 'note',
    title: `A published address is not in ${PERMALINKS} yet`,
    message: (a: { url: string }) =>
      `This release is published at ${a.url}, which ${PERMALINKS} does not record yet.`,
    hint: `The next "scs build" records it: commit ${PERMALINKS} then, so the address is kept should the title change.`,
  },
  'permalink-release-missing': {
    severity: 'error',
    title: 'A published address whose release is gone',
    message: (a: { url: string; release: string }) =>
      `${a.url} was published for ${a.release}, which no longer exists: the address would stop answering.`,
    hint: `${KEEP_ADDRESS} If you renamed or moved the file, change its path on this line.`,
  },
  'permalink-release-unpublished': {
    severity: 'error',
    title: 'A published address whose release is no longer published',
    message: (a: { url: string; release: string; why: string }) =>
      `${a.url} was published for ${a.release}, which is now ${a.why}: the address would stop answering.`,
    hint: 'A release that was out stays out: set "withdrawn: true" in it (with a "withdrawnReason:") to take it back; its address then shows a notice.',
  },
  'permalink-taken': {
    severity: 'error',
    title: 'An address published for another release',
    message: (a: { url: string; owner: string }) =>
      `This release would be published at ${a.url}, which was published for ${a.owner}: links to that release would show this one.`,
    hint: 'Give this release a "slug:" of its own.',
  },
  'permalinks-write-failed': {
    severity: 'error',
    title: `${PERMALINKS} cannot be written`,
    message: (a: { reason: string }) => `Cannot write ${PERMALINKS} (${a.reason}); the output is unchanged.`,
    hint: 'Check that you may write the project folder and the file, then build again.',
  },
});
