import type sanitizeHtml from 'sanitize-html';
import { lazyRequire } from '../core/lazy-require.js';

const sanitizer = lazyRequire<typeof sanitizeHtml>('sanitize-html');

/** Drawing elements only: nothing that runs (script, animation), embeds (foreignObject, image) or links (a). */
const TAGS = [
  'svg',
  'g',
  'defs',
  'symbol',
  'use',
  'title',
  'desc',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'linearGradient',
  'radialGradient',
  'stop',
  'clipPath',
  'mask',
  'pattern',
];

/** Geometry and presentation attributes; no event handlers, no style (which can load URLs). */
const ATTRIBUTES = [
  'xmlns',
  'xmlns:xlink',
  'version',
  'id',
  'class',
  'viewBox',
  'preserveAspectRatio',
  'width',
  'height',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'fx',
  'fy',
  'd',
  'points',
  'pathLength',
  'transform',
  'href',
  'xlink:href',
  'offset',
  'gradientUnits',
  'gradientTransform',
  'spreadMethod',
  'patternUnits',
  'patternContentUnits',
  'patternTransform',
  'clipPathUnits',
  'maskUnits',
  'maskContentUnits',
  'clip-path',
  'clip-rule',
  'mask',
  'opacity',
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-miterlimit',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stop-color',
  'stop-opacity',
  'color',
  'display',
  'visibility',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'dx',
  'dy',
  'role',
  'aria-label',
  'aria-hidden',
  'focusable',
];

const URL_TARGET = /url\s*\(\s*['"]?\s*([^'")\s]*)/gi;

/**
 * A reference to something outside the document: any href but "#id", any url() but url(#id), and a
 * backslash (a CSS escape could spell "url" otherwise).
 */
function external(name: string, value: string): boolean {
  if (name === 'href' || name === 'xlink:href') return !value.trim().startsWith('#');
  return value.includes('\\') || [...value.matchAll(URL_TARGET)].some((m) => !m[1]!.startsWith('#'));
}

/**
 * An SVG image as it may be published: drawing elements and presentation attributes from an allow-list,
 * references only inside the file. The archive serves it from its own origin, where a script in it
 * would run as the site; sanitised rather than refused because logos and charts come as SVG.
 */
export function safeSvg(source: string): string {
  const clean = sanitizer()(source, {
    allowedTags: TAGS,
    allowedAttributes: { '*': ATTRIBUTES },
    // The local references are checked below; no scheme is taken at all.
    allowedSchemes: [],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    parser: { xmlMode: true },
    transformTags: {
      '*': (tagName, attribs) => ({
        tagName,
        attribs: Object.fromEntries(Object.entries(attribs).filter(([k, v]) => !external(k, v))),
      }),
    },
  });
  // What came before the root (a prolog, the rest of a DOCTYPE) is not kept.
  const root = clean.indexOf('<svg');
  return root < 0 ? '' : clean.slice(root);
}
