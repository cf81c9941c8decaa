/**
 * Hostile input for the sanitiser tests: one table for every assertion (renderer, check, page, feeds,
 * email, browser). Each payload is a function of the script it would run, so that a test can tell
 * which one got through: the browser test passes `alert(<number>)`.
 * Sources: the OWASP XSS filter evasion cheat sheet, PortSwigger's XSS cheat sheet, known mXSS cases.
 */
export interface Payload {
  name: string;
  /** Hostile Markdown/HTML (without blank lines) that would run `js` if it reached a page unsanitised. */
  html: (js: string) => string;
  /** Markdown does not read it as raw HTML (a Markdown link, HTML that is a code span or text). */
  notHtml?: true;
}

const base64 = (text: string) => Buffer.from(text).toString('base64');
const decimal = (text: string) => [...text].map((c) => `&#${c.charCodeAt(0)};`).join('');
const hex = (text: string) => [...text].map((c) => `&#x${c.charCodeAt(0).toString(16)}`).join('');

export const PAYLOADS: readonly Payload[] = [
  // The way past the old string match (issue #12): scs's own opening tag alone on a line (an HTML
  // block, which is one token), then anything.
  {
    name: 'behind the attribution tag',
    html: (js) => `<span class="quote__attribution">\n<img src=x onerror=${js}>`,
  },
  { name: 'script element', html: (js) => `<script>${js}</script>` },
  { name: 'script, upper case, external', html: () => '<SCRIPT SRC=https://xss.invalid/xss.js></SCRIPT>' },
  { name: 'script with extraneous brackets', html: (js) => `<<SCRIPT>${js};//<</SCRIPT>` },
  { name: 'script closing a title first', html: (js) => `</TITLE><SCRIPT>${js};</SCRIPT>` },
  { name: 'img onerror, unquoted', html: (js) => `<img src=x onerror=${js}>` },
  { name: 'img onerror behind a slash', html: (js) => `<IMG SRC=/ onerror="${js}"></img>` },
  { name: 'malformed img with script', html: (js) => `<IMG """><SCRIPT>${js}</SCRIPT>">` },
  { name: 'img javascript: src', html: (js) => `<IMG SRC="javascript:${js};">` },
  { name: 'img javascript: src, mixed case, unquoted', html: (js) => `<IMG SRC=JaVaScRiPt:${js}>` },
  {
    name: 'img javascript: src in grave accents',
    html: (js) => `<IMG SRC=\`javascript:${js}\`>`,
    notHtml: true,
  },
  { name: 'img src as decimal entities', html: (js) => `<IMG SRC=${decimal(`javascript:${js}`)}>` },
  {
    name: 'img src as hex entities without semicolons',
    html: (js) => `<IMG SRC=${hex(`javascript:${js}`)}>`,
  },
  { name: 'img src with an embedded tab', html: (js) => `<IMG SRC="jav\tascript:${js};">` },
  { name: 'img src with an encoded newline', html: (js) => `<IMG SRC="jav&#x0A;ascript:${js};">` },
  { name: 'img src with leading control characters', html: (js) => `<IMG SRC=" &#14;  javascript:${js};">` },
  { name: 'onmouseover on a link', html: (js) => `<a onmouseover="${js}">hover</a>` },
  { name: 'body onload with odd characters', html: (js) => `<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^\`=${js}>` },
  { name: 'input type=image', html: (js) => `<INPUT TYPE="IMAGE" SRC="javascript:${js};">` },
  { name: 'details ontoggle', html: (js) => `<details open ontoggle=${js}>x</details>` },
  { name: 'custom element onfocus', html: (js) => `<x-y tabindex=1 autofocus onfocus=${js}>x</x-y>` },
  { name: 'video source onerror', html: (js) => `<video><source onerror="${js}"></video>` },
  { name: 'svg onload', html: (js) => `<svg onload=${js}>` },
  { name: 'script inside svg', html: (js) => `<svg><script>${js}</script></svg>` },
  {
    name: 'svg link with xlink:href',
    html: (js) => `<svg><a xlink:href="javascript:${js}"><text x="20" y="20">XSS</text></a></svg>`,
  },
  { name: 'svg animate onbegin', html: (js) => `<svg><animate onbegin=${js} attributeName=x dur=1s>` },
  { name: 'MathML link', html: (js) => `<math href="javascript:${js}">CLICKME</math>` },
  {
    name: 'MathML namespace confusion (mXSS)',
    html: (js) =>
      `<math><mtext><table><mglyph><style><img src=x onerror=${js}></style></mglyph></table></mtext></math>`,
  },
  {
    name: 'noscript attribute breakout (mXSS)',
    html: (js) => `<noscript><p title="</noscript><img src=x onerror=${js}>">`,
  },
  { name: 'comment breakout', html: (js) => `<!--<img src="--><img src=x onerror=${js}//">` },
  { name: 'javascript: link', html: (js) => `<a href="javascript:${js}">link</a>` },
  { name: 'javascript: link with leading space', html: (js) => `<a href="  javascript:${js}">link</a>` },
  { name: 'entity-encoded javascript: link', html: (js) => `<a href="&#106;avascript:${js}">link</a>` },
  {
    name: 'hex entities and &colon; in a link',
    html: (js) => `<a href="&#x6a;&#x61;vascript&colon;${js}">link</a>`,
  },
  { name: 'javascript: with &NewLine;', html: (js) => `<a href="java&NewLine;script:${js}">link</a>` },
  { name: 'vbscript: link', html: (js) => `<a href="vbscript:${js}">link</a>` },
  {
    name: 'data: link to HTML',
    html: (js) => `<a href="data:text/html;base64,${base64(`<script>${js}</script>`)}">link</a>`,
  },
  {
    name: 'object with data: HTML',
    html: (js) => `<object data="data:text/html;base64,${base64(`<script>${js}</script>`)}"></object>`,
  },
  {
    name: 'embed with data: SVG',
    html: (js) => `<embed src="data:image/svg+xml;base64,${base64(`<svg onload="${js}"/>`)}">`,
  },
  { name: 'base href', html: (js) => `<base href="javascript:${js}//">` },
  {
    name: 'meta refresh to javascript:',
    html: (js) => `<meta http-equiv="refresh" content="0;url=javascript:${js};">`,
  },
  {
    name: 'meta refresh to data:',
    html: (js) =>
      `<meta http-equiv="refresh" content="0;url=data:text/html;base64,${base64(`<script>${js}</script>`)}">`,
  },
  { name: 'iframe srcdoc', html: (js) => `<iframe srcdoc="&lt;script&gt;${js}&lt;/script&gt;"></iframe>` },
  { name: 'iframe javascript: src', html: (js) => `<iframe src="javascript:${js}"></iframe>` },
  { name: 'form action', html: (js) => `<form action="javascript:${js}"><button>Skicka</button></form>` },
  {
    name: 'button formaction',
    html: (js) => `<form><button formaction="javascript:${js}">x</button></form>`,
  },
  {
    name: 'style attribute with javascript:',
    html: (js) => `<div style="background-image: url(javascript:${js})">x</div>`,
  },
  { name: 'style element', html: () => "<style>@import 'https://xss.invalid/xss.css';</style>" },
  { name: 'link element', html: (js) => `<link rel="stylesheet" href="javascript:${js}">` },
  { name: 'Markdown link to javascript:', html: (js) => `[link](javascript:${js})`, notHtml: true },
  {
    name: 'Markdown link to entity-encoded javascript:',
    html: (js) => `[link](&#106;avascript:${js})`,
    notHtml: true,
  },
  { name: 'Markdown image from javascript:', html: (js) => `![alt](javascript:${js})`, notHtml: true },
  {
    name: 'Markdown image from data: SVG',
    html: (js) => `![alt](data:image/svg+xml;base64,${base64(`<svg onload="${js}"/>`)})`,
    notHtml: true,
  },
  { name: 'Markdown autolink to javascript:', html: (js) => `<javascript:${js}>`, notHtml: true },
  // Text that a careless consumer (a feed summary decoded twice) would turn into markup.
  { name: 'markup written as entities', html: (js) => `&lt;img src=x onerror=${js}&gt;`, notHtml: true },
];

/** Elements that may run script, load a document or take over the page. */
const UNSAFE_ELEMENTS =
  /^(?:script|iframe|frame|frameset|object|embed|applet|base|meta|link|style|form|input|button|textarea|select|svg|math|animate|set|video|audio|source|details|body|html|head|noscript|template|portal|x-.*|.*:.*)$/i;
const URL_ATTRIBUTES = /^(?:href|src|action|formaction|xlink:href|data|background|poster|srcdoc|content)$/i;
const ENTITY = /&(?:#(\d+)|#x([0-9a-f]+)|(colon|tab|newline));?/gi;
const NAMED: Record<string, string> = { colon: ':', tab: '\t', newline: '\n' };

/**
 * What in an HTML fragment could run script: unsafe elements, event handlers, style attributes, and
 * javascript:/vbscript:/data: URLs (entities decoded, white space and control characters dropped, as a
 * browser reads them). For scs's output, which is serialised HTML (every "<" in text escaped), and for
 * the raw payloads themselves; the browser test asks Chromium.
 */
export function unsafeParts(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.matchAll(/<([a-z][^\s/>]*)([^>]*)>/gi)) {
    const [, name, attrs] = tag as unknown as [string, string, string];
    if (UNSAFE_ELEMENTS.test(name)) found.push(`<${name}>`);
    for (const a of attrs.matchAll(/([^\s=/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
      const attr = a[1]!;
      const value = (a[2] ?? a[3] ?? a[4] ?? '').replace(ENTITY, (_, dec, hx, named) =>
        named
          ? NAMED[named.toLowerCase()]!
          : String.fromCodePoint(dec ? Number(dec) : Number.parseInt(hx, 16)),
      );
      // (Old Internet Explorer also took grave accents for quotes.)
      const bare = value.replace(/[\s\u0000-\u001f`]+/g, '');
      if (/^on/i.test(attr) || (/^style$/i.test(attr) && /url\(|expression|script:/i.test(bare)))
        found.push(`${attr} on <${name}>`);
      else if (
        /^srcdoc$/i.test(attr) ||
        (URL_ATTRIBUTES.test(attr) && /(?:^|url=)(?:javascript|vbscript|data):/i.test(bare))
      )
        found.push(`${attr}="${value}" on <${name}>`);
    }
  }
  return found;
}
