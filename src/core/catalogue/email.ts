import { defineDiagnostics } from './define.js';

/** `overridden`: the project's own email templates, joined; empty when it uses the built-in ones. */
const templatesHint = (a: { overridden: string }) =>
  a.overridden
    ? `Check your email templates (${a.overridden}) against the MJML documentation.`
    : 'This is a problem in the built-in template: please report it.';

/** Problems of a newsletter: its content, templates, strings, DKIM key and recipients (email/). */
export const emailDiagnostics = defineDiagnostics({
  'email-subject-line-break': {
    severity: 'error',
    title: 'The title (the subject) has a line break or control character',
    message: () => 'The subject (the title) contains a line break or control character.',
    hint: 'Write the title on one line; for a long title, do not use "|" or ">" block style in YAML.',
  },
  'email-subject-too-long': {
    severity: 'error',
    title: 'The title (the subject) is over 150 characters',
    message: (a: { length: number; max: number }) =>
      `The subject is ${a.length} characters long; at most ${a.max} are allowed.`,
    hint: 'Shorten the title (mail clients show about 60 characters); put details in the lead.',
  },
  'email-header-line-break': {
    severity: 'error',
    title: 'A line break in newsletter.from.name, a list name or organization.name',
    message: (a: { what: string }) => `${a.what} contains a line break or control character.`,
    hint: 'Write it on one line in the configuration.',
  },
  'email-contact-line-break': {
    severity: 'error',
    title: "A line break in a contact's fields",
    message: (a: { name: string }) => `The contact "${a.name}" has a line break in a field.`,
    hint: 'Write the name, role, organisation and email of a contact on one line each.',
  },
  'email-logo-local': {
    severity: 'warning',
    title: 'organization.logo is not an http(s) URL; the name is shown instead',
    message: (a: { logo: string }) =>
      `organization.logo "${a.logo}" is not an http(s) URL, so emails show the organisation's name instead.`,
    hint: 'Give the logo as an https:// URL of an image (about 360 px wide) to show it in emails.',
  },
  'email-image-alt-missing': {
    severity: 'error',
    title: 'An image without alt text (in Markdown or raw HTML)',
    /** Without `src`: an <img> in raw HTML. */
    message: (a: { src?: string }) =>
      a.src === undefined ? 'An <img> in raw HTML has no alt text.' : `The image "${a.src}" has no alt text.`,
    hint: (a) =>
      a.src === undefined
        ? 'Add alt="…" describing the image.'
        : 'Describe the image between the brackets: ![What the image shows](…). Many readers see emails without images.',
  },
  'email-image-missing': {
    severity: 'error',
    title: 'A local image that does not exist',
    message: (a: { src: string }) => `The image file "${a.src}" does not exist.`,
    hint: 'Fix the path (relative to the release file) or add the file; the email shows the copy the site publishes.',
  },
  'email-image-url-invalid': {
    severity: 'error',
    title: 'An image URL neither local nor http(s)',
    message: (a: { src: string }) => `The image "${a.src}" is neither a local file nor an http(s) URL.`,
    hint: 'Use a path relative to the release file, or an https:// URL.',
  },
  'email-link-invalid': {
    severity: 'error',
    title: 'An empty link, or a scheme other than http, https, mailto, tel',
    /** Without `href`: the link is empty. */
    message: (a: { href?: string; scheme?: string }) =>
      a.href === undefined
        ? 'A link has no address.'
        : `The link "${a.href}" uses "${a.scheme}:", which mail clients do not open.`,
    hint: (a) =>
      a.href === undefined
        ? 'Write the full address between the parentheses: [text](https://…).'
        : 'Link to an https:// address (or mailto:/tel:).',
  },
  'email-raw-url-invalid': {
    severity: 'error',
    title: 'A relative or non-http(s) URL in raw HTML',
    message: (a: { url: string }) => `The URL "${a.url}" in raw HTML is not an absolute http(s) address.`,
    hint: 'URLs in raw HTML are used as written: give the full https:// address.',
  },
  'email-html-too-large': {
    severity: 'error',
    title: 'The HTML part is over 102 KB (Gmail clips it)',
    message: (a: { size: string; limit: string }) =>
      `The email's HTML is ${a.size}; Gmail clips anything over ${a.limit}, hiding the end and the unsubscribe link.`,
    hint: 'Shorten the body or move details to the web page: the email links to it.',
  },
  'email-html-large': {
    severity: 'warning',
    title: 'The HTML part is over 90 KB, close to where Gmail clips it',
    message: (a: { size: string; limit: string }) =>
      `The email's HTML is ${a.size}, close to Gmail's clipping limit of ${a.limit}.`,
    hint: 'Consider shortening the body.',
  },
  'email-mjml-invalid': {
    severity: 'error',
    title: 'The email template makes MJML that does not validate',
    message: (a: { detail: string; overridden: string }) => `MJML: ${a.detail}`,
    hint: templatesHint,
  },
  'email-template-invalid': {
    severity: 'error',
    title: 'An email template does not parse, or fails while rendering',
    /** `failed`: it parsed but failed while rendering. */
    message: (a: { detail: string; failed?: boolean; overridden?: string }) =>
      a.failed === true
        ? `The email template failed: ${a.detail}`
        : `The email template does not parse: ${a.detail}`,
    hint: (a) =>
      a.failed === true
        ? templatesHint({ overridden: a.overridden ?? '' })
        : 'Fix the Handlebars syntax ({{…}}, {{#if}} … {{/if}}); compare with the built-in template.',
  },
  'email-template-unreadable': {
    severity: 'error',
    title: 'An email template file cannot be read',
    message: (a: { reason: string }) => `Cannot read the email template (${a.reason}).`,
    hint: 'Check that the file exists and is readable.',
  },
  'email-strings-invalid': {
    severity: 'error',
    title: "The project's email strings are not a JSON object of strings",
    message: (a: { reason: string }) => `The email strings cannot be read: ${a.reason}`,
    hint: 'Write a JSON object with the keys of the built-in templates/email/strings file you want to change.',
  },
  'email-dkim-key-unreadable': {
    severity: 'error',
    title: 'SCS_DKIM_PRIVATE_KEY names a file that cannot be read',
    message: (a: { path: string; reason: string }) =>
      `SCS_DKIM_PRIVATE_KEY names the file ${a.path}, which cannot be read (${a.reason}).`,
    hint: 'Set SCS_DKIM_PRIVATE_KEY to the PEM text of the private key, or to the path of a readable PEM file.',
  },
  'email-dkim-key-invalid': {
    severity: 'error',
    title: 'SCS_DKIM_PRIVATE_KEY is not an RSA PEM key',
    /** `type`: the kind of key it is, when it is a key but not RSA; else `reason`: why it is none. */
    message: (a: { reason?: string; type?: string }) =>
      a.type === undefined
        ? `The DKIM private key is not a usable PEM key (${a.reason}).`
        : `The DKIM private key is a ${a.type} key; scs signs with RSA.`,
    hint: (a) =>
      a.type === undefined
        ? 'Use an RSA private key in PEM format ("-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----").'
        : 'Generate an RSA key of 2048 bits: openssl genrsa -out dkim.pem 2048',
  },
  'email-list-unknown': {
    severity: 'error',
    title: 'No such newsletter list',
    /** `lists`: the configured ones, joined; empty when there are none. */
    message: (a: { list: string; lists: string }) => `There is no newsletter list "${a.list}".`,
    hint: (a) =>
      a.lists ? `Lists: ${a.lists}.` : 'Declare lists under newsletter.lists in the configuration.',
  },
  'email-list-language': {
    severity: 'error',
    title: "The list's language differs from the release's",
    /** `byLang`: the command takes --lang, which picks the version in the list's language. */
    message: (a: { list: string; listLang: string; id: string; lang: string; byLang?: boolean }) =>
      `The list "${a.list}" is in "${a.listLang}", but ${a.id} is in "${a.lang}".`,
    hint: (a) =>
      a.byLang === true
        ? `Add --lang ${a.listLang} to use the ${a.listLang} version of the release.`
        : 'Send each language version of a release to the lists of that language.',
  },
  'email-list-missing': {
    severity: 'error',
    title: "No newsletter list in the release's language",
    message: (a: { lang: string; id: string }) =>
      `No newsletter list is in "${a.lang}", the language of ${a.id}.`,
    hint: (a) => `Add a list with "lang: ${a.lang}" under newsletter.lists in the configuration.`,
  },
  'email-recipient-invalid': {
    severity: 'error',
    title: 'A recipient address or unsubscribe URL that cannot go into a header safely',
    /** Either the `address` or the unsubscribe `url` (each as JSON). */
    message: (a: { address?: string; url?: string }) =>
      a.address === undefined
        ? `The unsubscribe URL ${a.url} is not a plain http(s) URL.`
        : `The recipient address ${a.address} is not a plain email address.`,
    hint: (a) =>
      a.address === undefined
        ? 'Unsubscribe URLs must be absolute https:// URLs without spaces or quotes (check newsletter.endpoint).'
        : 'Correct or remove the subscriber; addresses with spaces, line breaks or comments are not sent to.',
  },
  'email-write-failed': {
    severity: 'error',
    title: 'The email files could not be written',
    message: (a: { path: string; reason: string }) => `Cannot write ${a.path} (${a.reason}).`,
    hint: 'Choose another folder with --out, or check its permissions.',
  },
});
