import { defineDiagnostics } from './define.js';

/** Problems with the image files themselves (assets/): what the pipeline and `scs check` find in them. */
export const imageDiagnostics = defineDiagnostics({
  'image-corrupt': {
    severity: 'error',
    title: 'An image file that cannot be decoded: corrupt or cut short',
    message: (a: { src: string; reason: string }) =>
      `The image "${a.src}" cannot be decoded (${a.reason}); it is left out of the page and the email.`,
    hint: 'Export the image again from the original (a cut-short copy often comes from an interrupted upload or download).',
  },
  'image-not-image': {
    severity: 'error',
    title: 'A file named like an image that holds something else (an HTML error page, text)',
    message: (a: { src: string; found: string }) =>
      `The file "${a.src}" is not an image: it holds ${a.found}.`,
    hint: 'Download the image again: a saved web page or error page often takes the place of the picture. Open the file to check.',
  },
  'image-too-many-pixels': {
    severity: 'error',
    title: 'An image with more pixels than scs decodes (a decompression bomb, or a huge scan)',
    message: (a: { src: string; width: number; height: number; limit: number }) =>
      `The image "${a.src}" is ${a.width}×${a.height} pixels, more than the ${a.limit} megapixels scs decodes.`,
    hint: 'Scale the image down to at most 8000 pixels on its longer side before adding it.',
  },
  'image-format-unsupported': {
    severity: 'error',
    title: 'An image in a format scs cannot decode (e.g. HEIC without its codec)',
    message: (a: { src: string; format: string }) =>
      `The image "${a.src}" is ${a.format}, which scs cannot decode.`,
    hint: (a) =>
      a.format.startsWith('HEIC')
        ? 'Export it as JPEG (on an iPhone: Settings → Camera → Formats → Most Compatible; on a Mac: Preview → Export → JPEG).'
        : 'Export it as JPEG (photos) or PNG (graphics, transparency); WebP, AVIF, TIFF and GIF are read too.',
  },
  'image-hero-small': {
    severity: 'warning',
    title: 'A hero image narrower than 1200 pixels',
    message: (a: { src: string; width: number }) =>
      `The hero image "${a.src}" is ${a.width} pixels wide: it will look soft on large screens.`,
    hint: 'Use an image at least 1200 pixels wide (1600 or more is best); the site makes the smaller sizes itself.',
  },
  'image-file-large': {
    severity: 'warning',
    title: 'An image file over 25 MB',
    message: (a: { src: string; megabytes: number }) =>
      `The image "${a.src}" is ${a.megabytes} MB: journalists download the original as it is.`,
    hint: 'Export it at a lower JPEG quality (90 is plenty) or a smaller size, under 25 MB.',
  },
  'image-alt-file-name': {
    severity: 'warning',
    title: 'Alt text that is a file name',
    message: (a: { alt: string }) => `The alt text "${a.alt}" is a file name, not a description.`,
    hint: 'Describe what the image shows, for readers who cannot see it (e.g. "The new ferry at the quay in Visby").',
  },
});
