import { defineDiagnostics } from './define.js';

const OUTSIDE_HINT = 'Copy the image into the project (e.g. next to the release) and point to the copy.';

/** Problems of release files, each on its own and across them (content/). */
export const contentDiagnostics = defineDiagnostics({
  'file-empty': {
    severity: 'error',
    title: 'The release file is empty',
    message: () => 'The release file is empty.',
    hint: 'Add frontmatter (title, date, lang) and a body, or delete the file. "scs new" writes a template.',
  },
  'file-encoding': {
    severity: 'error',
    title: 'The file is not UTF-8',
    message: () => 'The file is not valid UTF-8.',
    hint: 'Save the file as UTF-8 (most editors offer "Save with encoding").',
  },
  'file-too-large': {
    severity: 'error',
    title: 'A release file over 1 MB',
    message: (a: { megabytes: string }) => `The file is ${a.megabytes} MB; releases may be at most 1 MB.`,
    hint: 'Move large material (images, attachments) out of the Markdown and link to it.',
  },
  'file-unreadable': {
    severity: 'error',
    title: 'A release file or folder cannot be read',
    /** `denied`: the reason is a missing permission. */
    message: (a: { reason: string; folder?: boolean; denied?: boolean }) =>
      a.folder === true ? `Cannot read the folder: ${a.reason}.` : `Cannot read the file (${a.reason}).`,
    hint: (a) =>
      a.folder === true
        ? 'Check that the folder exists and that you may read it.'
        : a.denied === true
          ? 'Give yourself read permission on it.'
          : 'Check that the file exists and is a regular, readable file (a broken link?).',
  },
  'file-is-directory': {
    severity: 'error',
    title: 'A folder named like a release (*.md)',
    message: (a: { name: string }) => `"${a.name}" is named like a release but is a folder.`,
    hint: 'Rename the folder (releases are files ending in .md) or move the release out of it.',
  },
  'path-missing': {
    severity: 'error',
    title: 'A path given on the command line does not exist',
    message: (a: { path: string }) => `No such file or folder: ${a.path}.`,
    hint: 'Check the path; releases live below the folder named by "releases" in the config.',
  },
  'frontmatter-missing': {
    severity: 'error',
    title: 'No --- block at the top of the file',
    message: () => 'The file has no frontmatter.',
    hint: 'Start the file with a "---" line, the YAML fields (title, date, lang …), and another "---" line.',
  },
  'frontmatter-unclosed': {
    severity: 'error',
    title: 'No closing --- after the frontmatter',
    message: () => 'The frontmatter is never closed.',
    hint: 'Add a line with only "---" after the last YAML field.',
  },
  'frontmatter-not-mapping': {
    severity: 'error',
    title: 'The frontmatter is not key: value fields',
    message: () => 'The frontmatter must be YAML fields ("key: value" lines).',
    hint: 'Write at least "title:", "date:" and "lang:" between the "---" lines.',
  },
  'date-invalid': {
    severity: 'error',
    title: 'A date or embargo that is not a date',
    message: (a: { value: string; embargo?: boolean }) =>
      a.embargo === true ? `The embargo "${a.value}" is not a date-time.` : `"${a.value}" is not a date.`,
    hint: (a) =>
      a.embargo === true
        ? 'Write an ISO date-time such as 2026-12-01T08:00 (read in the configured time zone) or with an offset.'
        : 'Write YYYY-MM-DD, or an ISO date-time such as 2026-12-01T08:00 or 2026-12-01T08:00+01:00.',
  },
  'date-impossible': {
    severity: 'error',
    title: 'A date that does not exist (2021-02-30)',
    message: (a: { value: string; embargo?: boolean }) =>
      a.embargo === true
        ? `The embargo "${a.value}" does not exist.`
        : `The date "${a.value}" does not exist.`,
    hint: (a) =>
      a.embargo === true
        ? 'Check the day, month and time.'
        : 'Check the day and month (e.g. February has 28 or 29 days).',
  },
  'embargo-before-date': {
    severity: 'error',
    title: 'An embargo before the date',
    message: (a: { embargo: string; date: string }) =>
      `The embargo (${a.embargo}) is before the release date (${a.date}).`,
    hint: 'An embargo holds a release back: set it at or after the date, or remove it.',
  },
  'lang-unknown': {
    severity: 'error',
    title: 'A language that is not in the config',
    message: (a: { lang: string; languages: string }) => `"${a.lang}" is not a configured language.`,
    hint: (a) => `Use one of ${a.languages}.`,
  },
  'slug-invalid': {
    severity: 'error',
    title: 'A bad slug, or a title no slug can be made from',
    /** Without `slug`: none can be made from the title. `example`: the slug made from it. */
    message: (a: { slug?: string; example?: string }) =>
      a.slug === undefined ? 'No slug can be made from this title.' : `The slug "${a.slug}" is not valid.`,
    hint: (a) =>
      a.slug === undefined
        ? 'Add a "slug:" field with lower-case letters, digits and hyphens.'
        : `Use lower-case letters, digits and single hyphens, e.g. "${a.example}".`,
  },
  'slug-duplicate': {
    severity: 'error',
    title: 'Two releases in one language with the same slug',
    message: (a: { slug: string; other: string; lang: string }) =>
      `The slug "${a.slug}" is already used by ${a.other} (language ${a.lang}).`,
    hint: 'Give one of them another "slug:" so their pages get different addresses.',
  },
  'title-line-break': {
    severity: 'error',
    title: 'The title has a line break or control character (it becomes the email subject)',
    message: () => 'The title contains a line break or control character; it could not be an email subject.',
    hint: 'Write the title on one line; for a long title, do not use "|" or ">" block style in YAML.',
  },
  'title-too-long': {
    severity: 'warning',
    title: 'A title over 120 characters',
    message: (a: { length: number; max: number }) =>
      `The title is ${a.length} characters long: too long for an email subject.`,
    hint: (a) => `Keep it under ${a.max} characters; mail clients cut subjects short.`,
  },
  'image-alt-missing': {
    severity: 'error',
    title: 'An image without alt text',
    message: () => 'The image has no alt text.',
    hint: 'Describe what the image shows in "alt:", for readers who cannot see it.',
  },
  'image-src-invalid': {
    severity: 'error',
    title: 'An image URL that is neither local nor http(s)',
    message: (a: { src: string }) => `The image "${a.src}" is neither a local file nor an http(s) URL.`,
    hint: 'Give a path relative to the release file, or an https:// URL.',
  },
  'image-missing': {
    severity: 'error',
    title: 'A local image that does not exist',
    message: (a: { src: string; path: string }) => `The image file "${a.src}" does not exist.`,
    hint: (a) => `Put the image at ${a.path} or fix the path (relative to the release file).`,
  },
  'image-outside-project': {
    severity: 'error',
    title: 'A local image (hero or body) that lies outside the project folder, through .. or a symbolic link',
    message: (a: { src: string }) => `The image "${a.src}" lies outside the project folder.`,
    hint: OUTSIDE_HINT,
  },
  'contact-unknown': {
    severity: 'error',
    title: 'A contact id that is not in the config',
    message: (a: { contact: string }) => `Unknown contact "${a.contact}".`,
    hint: 'Declare it under "contacts" in the config, or write the contact inline.',
  },
  'phone-invalid': {
    severity: 'error',
    title:
      'A phone number that does not parse ("010-788 65 82", "+46 10-788 66 09" and "+ 4610-788 68 67" are all fine)',
    message: (a: { phone: string }) => `"${a.phone}" is not a valid phone number.`,
    hint: 'Write it as 010-123 45 67 or +46 10 123 45 67.',
  },
  'boilerplate-unknown': {
    severity: 'error',
    title: 'A boilerplate id that is not in the config',
    message: (a: { boilerplate: string }) => `Unknown boilerplate "${a.boilerplate}".`,
    hint: 'Declare it under "boilerplates" in the config, or write the text inline.',
  },
  'topic-unknown': {
    severity: 'error',
    title: 'A topic that is not in the config',
    message: (a: { topic: string }) => `Unknown topic "${a.topic}".`,
    hint: 'Declare it under "topics" in the config.',
  },
  'quote-unattributed': {
    severity: 'warning',
    title:
      'A paragraph that starts like a quote (– , — , \\- ) with no ", säger NAME, ROLE." / ", says NAME, ROLE." in it or in the quote paragraphs right after it',
    message: () => 'This paragraph starts like a quote ("– ") but has no attribution.',
    hint: 'End it with who speaks: "– Quote, säger Name, role." (English: "– Quote, says Name, role."). A quote of several paragraphs needs it in the last one.',
  },
  'placeholder-left': {
    severity: 'error',
    title:
      'Text that scs new (or scs init) wrote for you to replace is still in a release that is not a draft',
    message: (a: { text: string }) => `Placeholder text from "scs new" is still here: "${a.text}".`,
    hint: 'Replace the text with your own, or mark the release "draft: true" until it is ready.',
  },
  'html-removed': {
    severity: 'warning',
    title:
      'Raw HTML in the body, lead or boilerplate that the sanitiser changes (a <script>, an onerror, a javascript: URL …), at the first place it occurs',
    message: (a: { removed: string }) =>
      `This HTML is not published as written: the sanitiser removes ${a.removed}.`,
    hint: 'Pages, feeds and emails keep only safe HTML: no scripts, event handlers, frames, forms, SVG or MathML, and only http(s), mailto and tel URLs. Remove it, or write it in Markdown.',
  },
  'link-unresolved': {
    severity: 'error',
    title:
      'A relative link that leads to no release, no attachment (PDF, DOCX, XLSX, …) and no image: a missing file, a folder, another file type, an unknown <lang>/<slug>',
    message: (a: { url: string; reason: string; types: string }) =>
      `The link "${a.url}" leads nowhere: ${a.reason}.`,
    hint: (a) =>
      `Link to a release file, a release id (<lang>/<slug>) or a file of type ${a.types}, relative to the release file.`,
  },
  'link-outside-project': {
    severity: 'error',
    title: 'A relative link to a file outside the project folder, through .. or a symbolic link',
    message: (a: { url: string; reason: string }) =>
      `The link "${a.url}" points outside the project: ${a.reason}.`,
    hint: 'Copy the file into the project (e.g. next to the release) and link to the copy.',
  },
  'link-unpublished': {
    severity: 'error',
    title:
      'A link to a draft, or to a release that comes out later (its date or embargo) than the release that links to it: the page and the email would reveal its address before its time',
    /** `until`: when the linked release comes out; none for a draft. */
    message: (a: { url: string; until?: string }) =>
      a.until === undefined
        ? `The link "${a.url}" leads to a draft, which is not published.`
        : `The link "${a.url}" leads to a release that is not out until ${a.until}, after this one.`,
    hint: 'Link to it once it is out: publish it first, or give this release a later date or embargo.',
  },
  'attachment-large': {
    severity: 'warning',
    title: 'A linked attachment over 20 MB',
    message: (a: { url: string; megabytes: number }) => `The attachment "${a.url}" is ${a.megabytes} MB.`,
    hint: 'Readers on a phone may not fetch it: compress it, or split it in parts.',
  },
  'translation-mismatch': {
    severity: 'error',
    title: 'Language versions that disagree on date or type',
    /** `key`: the frontmatter field they disagree on. */
    message: (a: {
      lang: string;
      ours: string;
      baseLang: string;
      baseFile: string;
      theirs: string;
      key: string;
    }) =>
      `This ${a.lang} version is ${a.ours}, but its ${a.baseLang} version (${a.baseFile}) is ${a.theirs}.`,
    hint: (a) => `Language versions of one release are published together: give them the same "${a.key}:".`,
  },
  'translation-duplicate': {
    severity: 'error',
    title: 'Two versions in one language with one translationKey',
    message: (a: { lang: string; key: string; other: string }) =>
      `Two ${a.lang} versions share translationKey "${a.key}": this one and ${a.other}.`,
    hint: 'Each language may have one version: change the translationKey of one of them.',
  },
  'release-unknown': {
    severity: 'error',
    title: 'No release by that id, slug, translation key or file',
    message: (a: { name: string; example: string }) => `No release "${a.name}".`,
    hint: (a) => `Name a release by its id (<lang>/<slug>), its slug or its file, e.g. ${a.example}.`,
  },
  'release-ambiguous': {
    severity: 'error',
    title:
      'A slug (or, for scs email, a translation key) names several releases; the message lists them (id and file)',
    message: (a: { name: string; count: number; candidates: string; id: string; lang: string }) =>
      `"${a.name}" names ${a.count} releases: ${a.candidates}.`,
    hint: (a) => `Name one by its id, e.g. "${a.id}", or add --lang ${a.lang}.`,
  },
  'release-language-missing': {
    severity: 'error',
    title: 'The release has no version in that language',
    /** `versions`: the ids sharing its translation key, when it has one. */
    message: (a: { id: string; lang: string; key?: string; versions?: string }) =>
      `${a.id} has no version in "${a.lang}".`,
    hint: (a) =>
      a.key === undefined
        ? 'Give the release and its translation the same "translationKey" in the frontmatter.'
        : `Versions with translationKey "${a.key}": ${a.versions}.`,
  },
  'file-exists': {
    severity: 'error',
    title: 'scs new would overwrite a file',
    message: (a: { file: string }) => `${a.file} already exists; scs does not overwrite files.`,
    hint: 'Choose another title or date, or remove the existing file first.',
  },
  'init-not-empty': {
    severity: 'error',
    title: 'scs init in a folder that is not empty',
    message: (a: { dir: string; existing: string }) => `${a.dir} is not empty (${a.existing}).`,
    hint: 'Run "scs init" in an empty folder, or give a new folder: scs init my-newsroom.',
  },
});
