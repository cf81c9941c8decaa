import type Handlebars from 'handlebars';
import { renderMarkdown } from '../render/markdown.js';
import { translate } from './strings.js';
import { COMPILE_OPTIONS, type RenderSources } from './templates.js';
import { inlineMarkdown, sharedMarkdown } from './text.js';
import { dirOf } from './paths.js';
import { type ReleaseInput, releasePage, type ViewBase } from './views.js';
import { handlebars, handlebarsRuntime } from '../render/handlebars.js';
import { builtinPrecompiled, compilerRevision, sourceHash, usableSpecs } from './precompiled.js';

export interface MarkdownParts {
  body: string;
  boilerplate?: string;
  /** Image URLs as written → the copy's address as seen from the page, and its size. */
  images: Record<string, { src: string; width?: number; height?: number; srcset?: string; sizes?: string }>;
  /** Relative link URLs as written → their href as seen from the page. */
  links: Record<string, string>;
  /** Image URLs as written (and percent-encoded) of files the pipeline could not use: shown as their alt text. */
  leftOut?: string[];
}

/** A page whose view is ready. Plain data, so it can cross to a worker thread. */
export interface PageJob {
  /** Output path, relative to the output folder. */
  path: string;
  /** A page template (`pages/<page>.hbs`). */
  page: string;
  /** False for fragments (feed content) that are not wrapped in the layout. */
  layout?: boolean;
  view: Record<string, unknown>;
  /** Markdown turned into `bodyHtml` / `boilerplateHtml` before templating. */
  markdown?: MarkdownParts;
}

/** A release page, whose view is built by the renderer (so that work is spread over the threads too). */
export interface ReleaseJob {
  path: string;
  release: ReleaseInput;
}

export type RenderJob = PageJob | ReleaseJob;

export type Render = (job: RenderJob) => string;

/**
 * Points images written as raw HTML (<img src=…>, which Markdown does not resolve) at the copies too,
 * and gives every copied image its width and height so the page does not jump while loading.
 */
function sizeImages(html: string, images: MarkdownParts['images'], leftOut: ReadonlySet<string>): string {
  const bySrc = new Map(Object.values(images).map((i) => [i.src, i]));
  return html.replace(/<img\b[^>]*>/g, (tag) => {
    const m = /\ssrc="([^"]*)"/.exec(tag);
    if (!m) return tag;
    // The sanitised attribute is escaped HTML already, so it stands as text.
    if (leftOut.has(m[1]!)) return /\salt="([^"]*)"/.exec(tag)?.[1] ?? '';
    const image = images[m[1]!] ?? bySrc.get(m[1]!);
    if (!image) return tag;
    let out = tag.replace(m[0], ` src="${image.src}"`);
    if (image.width && !/\swidth=/.test(out))
      out = out.replace(/^<img/, `<img width="${image.width}" height="${image.height}"`);
    // Derived files (assets/): the browser picks the width it needs, when the image comes into view.
    if (image.srcset && !/\ssrcset=/.test(out))
      out = out.replace(
        /^<img/,
        `<img srcset="${image.srcset}" sizes="${image.sizes}" loading="lazy" decoding="async"`,
      );
    return out;
  });
}

/** A template failed at render time (a missing partial, a helper misused in an override). */
export class TemplateRenderError extends Error {
  constructor(
    readonly page: string,
    readonly outPath: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Compiles the templates once (those not compiled ahead: see precompiled.ts). Every `{{value}}` is
 * HTML-escaped by Handlebars; the only unescaped values are HTML made here from sanitised Markdown
 * (`bodyHtml`, `boilerplateHtml`, `{{inline …}}`) and the page body handed to the layout.
 */
export function createRenderer(
  sources: RenderSources,
  base: ViewBase,
  precompiled = builtinPrecompiled(),
): Render {
  const specs = usableSpecs(precompiled, compilerRevision(handlebarsRuntime()));
  const specOf = (source: string) => specs?.[sourceHash(source)];
  const all = [sources.layout, ...Object.values(sources.pages), ...Object.values(sources.partials)];
  // Handlebars' runtime alone will do when every template was compiled ahead.
  const hb = (all.every(specOf) ? handlebarsRuntime : handlebars)().create();
  // Most texts have no placeholders: look each up once per language.
  const plain = new Map<string, string>();
  hb.registerHelper('t', (key: string, options: Handlebars.HelperOptions) => {
    const lang = (options.hash.lang as string | undefined) ?? (options.data.root as { lang: string }).lang;
    const values = options.hash as Record<string, unknown>;
    if (Object.keys(values).length) return translate(sources.strings, lang, key, values);
    const id = `${lang}\0${key}`;
    let text = plain.get(id);
    if (text === undefined) {
      text = translate(sources.strings, lang, key);
      plain.set(id, text);
    }
    return text;
  });
  hb.registerHelper(
    'inline',
    (markdown: unknown) => new hb.SafeString(inlineMarkdown(typeof markdown === 'string' ? markdown : '')),
  );
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  const template = (source: string) => {
    const spec = specOf(source);
    return spec ? hb.template(spec) : hb.compile(source, COMPILE_OPTIONS);
  };
  // Partials go in compiled, not as text, which Handlebars would compile without COMPILE_OPTIONS when
  // called from a template compiled ahead (whose spec does not carry them).
  for (const [name, source] of Object.entries(sources.partials)) hb.registerPartial(name, template(source));
  const layout = template(sources.layout);
  const pages = new Map(Object.entries(sources.pages).map(([name, source]) => [name, template(source)]));

  return (input) => {
    const job: PageJob =
      'release' in input
        ? {
            path: input.path,
            page: 'release',
            ...releasePage(base, input.release, (to) => base.links.href(dirOf(input.path), to)),
          }
        : input;
    const page = pages.get(job.page);
    if (!page)
      throw new TemplateRenderError(job.page, job.path, `there is no template pages/${job.page}.hbs`);
    let view = job.view;
    if (job.markdown) {
      const images = job.markdown.images;
      const resolveUrl = (url: string, kind: 'link' | 'image') =>
        kind === 'image' ? (images[url]?.src ?? url) : (job.markdown!.links[url] ?? url);
      const leftOut = new Set(job.markdown.leftOut);
      let bodyHtml = renderMarkdown(job.markdown.body, {
        resolveUrl,
        ...(leftOut.size ? { leaveOut: (src: string) => leftOut.has(src) } : {}),
      }).html;
      if (bodyHtml.includes('<img')) bodyHtml = sizeImages(bodyHtml, images, leftOut);
      view = { ...view, bodyHtml };
      if (job.markdown.boilerplate) view.boilerplateHtml = sharedMarkdown(job.markdown.boilerplate);
    }
    try {
      const body = page(view);
      return job.layout === false ? body : layout({ ...view, body });
    } catch (e) {
      throw new TemplateRenderError(job.page, job.path, (e as Error).message);
    }
  };
}
