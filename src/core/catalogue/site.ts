import { defineDiagnostics } from './define.js';

/** Problems building the press archive: templates, images, links, the output folder (site/). */
export const siteDiagnostics = defineDiagnostics({
  'site-template-invalid': {
    severity: 'error',
    title: 'A site template does not parse (file and line)',
    message: (a: { detail: string }) => `The template does not parse: ${a.detail}`,
    hint: 'Fix the Handlebars syntax ({{…}}, {{#if}} … {{/if}}); the helpers are t, inline and eq besides the built-in ones. Compare with the built-in template of the same name.',
  },
  'site-template-unreadable': {
    severity: 'error',
    title: 'A site template file cannot be read',
    message: (a: { reason: string }) => `Cannot read the template (${a.reason}).`,
    hint: 'Check that the file exists and is readable.',
  },
  'site-strings-invalid': {
    severity: 'error',
    title: "A project's strings/<lang>.json is not a JSON object of strings",
    /** `builtIn`: the language of the built-in strings to compare with. */
    message: (a: { reason: string; builtIn: string }) => `The site strings cannot be read: ${a.reason}.`,
    hint: (a) =>
      `Write a JSON object with the keys you want to change, e.g. {"subscribe.link": "…"}; see templates/site/strings/${a.builtIn}.json in scs.`,
  },
  'site-template-failed': {
    severity: 'error',
    title: 'A template failed while rendering (e.g. a missing partial or an unknown helper)',
    message: (a: { page: string; path: string; detail: string }) =>
      `The template pages/${a.page}.hbs failed on ${a.path}: ${a.detail}`,
    hint: 'Check the Handlebars helpers and partials your templates/site/ overrides use (compare with the built-in ones).',
  },
  'site-cache-stale': {
    severity: 'error',
    title: 'SCS_VERIFY_CACHE=1: a file the build cache skipped differs from the same file made again',
    message: (a: { page: string }) =>
      `${a.page} made again differs from the one the build cache kept: its cache key misses something the file is made from.`,
    hint: 'This is a bug in scs, please report it with the change that preceded this build. `scs build --clean` makes every file again meanwhile.',
  },
  'site-write-failed': {
    severity: 'error',
    title: 'The output (or .scs/) cannot be written',
    /** `path`: the page that could not be written; none when the output as a whole could not. */
    message: (a: { reason: string; path?: string }) =>
      a.path === undefined
        ? `Cannot write the output (${a.reason}).`
        : `Cannot write ${a.path} (${a.reason}).`,
    hint: (a) =>
      a.path === undefined
        ? 'Check free disk space and that you may write to the output folder, the folder it is in and .scs/. The previous output is unchanged.'
        : 'Check free disk space and that you may write to the output folder and the folder it is in.',
  },
  'site-image-missing': {
    severity: 'error',
    title:
      'A local image in a release body does not exist: an error in scs check, a warning in scs build (the page links to it as written)',
    message: (a: { url: string }) => `The image "${a.url}" does not exist; the page links to it as written.`,
    hint: 'Put the image at that path (relative to the release file) or fix the link.',
  },
  'site-link-unpublished': {
    severity: 'warning',
    title:
      'A link to a release the build does not publish (a draft, or not due yet): the page links to it as written',
    message: (a: { url: string }) =>
      `The link "${a.url}" leads to a release this build does not publish (a draft, or not due yet); the page links to it as written.`,
    hint: 'Publish the linked release first, or link to it once it is out.',
  },
  'site-build-locked': {
    severity: 'error',
    title: 'Another build of the same output folder is running',
    /** `holder`: the process id of the other build, when known. */
    message: (a: { holder?: string }) =>
      `Another build of this output folder is running${a.holder ? ` (process ${a.holder})` : ''}.`,
    hint: 'Wait for it to finish. If no build is running, delete that lock folder.',
  },
  'site-search-failed': {
    severity: 'error',
    title: 'Pagefind failed (build with --no-search to publish without search)',
    message: (a: { errors: string }) => `The search index could not be built: ${a.errors}`,
    hint: 'Run "scs build --no-search" to build the archive without search, and report the Pagefind error.',
  },
  'out-refused': {
    severity: 'error',
    title:
      'The output folder is (or contains) the project, releases or templates folder, .scs/, the home folder, or / (exit code 2)',
    message: (a: { dir: string; why: string }) => `The output folder ${a.dir} ${a.why}.`,
    hint: 'Every build replaces its output folder whole: choose a folder of its own, e.g. --out public.',
  },
  'out-not-scs': {
    severity: 'error',
    title:
      "The output folder (or its spare in .scs/cache/site/) is not scs's output for this project: other files, a file, a symbolic link, or unreadable; left untouched (--force-out moves the output aside)",
    /** `spare`: the output's spare folder rather than the output folder. */
    message: (a: { dir: string; why: string; spare?: boolean }) =>
      `${a.spare === true ? "The output's spare folder" : 'The output folder'} ${a.dir} ${a.why}; scs leaves it as it is.`,
    hint: (a) =>
      a.spare === true
        ? 'Move it away (it is not scs output), then build again.'
        : 'Build into a new or empty folder with --out, or add --force-out to move it aside (to <folder>.before-scs) and build there.',
  },
  'out-moved-aside': {
    severity: 'warning',
    title: '--force-out moved what was at the output path to <out>.before-scs',
    message: (a: { from: string; to: string }) => `--force-out: ${a.from} was moved to ${a.to}.`,
    hint: 'Delete it once you have kept what you need from it.',
  },
});
