import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkReleases } from '../../src/content/load.js';
import { handlebars } from '../../src/render/handlebars.js';
import { ImageRegistry } from '../../src/site/images.js';
import { siteModel } from '../../src/site/model.js';
import { Links } from '../../src/site/paths.js';
import { feedXml } from '../../src/site/feeds.js';
import { assetPaths, planSite } from '../../src/site/plan.js';
import { escapeXml } from '../../src/site/text.js';
import {
  compilerRevision,
  type PrecompiledTemplates,
  precompileModule,
  sourceHash,
  usableSpecs,
} from '../../src/site/precompiled.js';
import { createRenderer } from '../../src/site/renderer.js';
import { selectReleases } from '../../src/site/select.js';
import { BUILTIN_SITE_TEMPLATES, loadSiteTemplates, type RenderSources } from '../../src/site/templates.js';
import { REPO } from '../helpers/scs.js';
import { fixtureProject, NOW, projectConfig } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function override(dir: string, rel: string, text: string) {
  const file = path.join(dir, 'templates/site', rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

const allSources = (s: RenderSources) => [s.layout, ...Object.values(s.pages), ...Object.values(s.partials)];

/** A set of `sources` compiled ahead, loaded as the built one is: a module on disk. */
function compiledAhead(dir: string, sources: RenderSources): PrecompiledTemplates {
  const file = path.join(dir, 'precompiled.cjs');
  writeFileSync(file, precompileModule(allSources(sources)));
  return createRequire(import.meta.url)(file) as PrecompiledTemplates;
}

/** Every page and feed of the project's archive, rendered with the given templates compiled ahead (or none). */
async function renderAll(dir: string, precompiled: (s: RenderSources) => PrecompiledTemplates | undefined) {
  const config = projectConfig(dir);
  const templates = loadSiteTemplates(config).templates!;
  const assets = assetPaths(templates.assets);
  const base = {
    config,
    links: new Links(config),
    strings: templates.sources.strings,
    assets: { css: assets.css, search: assets.search },
    now: NOW,
  };
  const render = createRenderer(templates.sources, base, precompiled(templates.sources));
  const visible = selectReleases((await checkReleases(config)).releases, { now: NOW }).visible;
  const plan = planSite(
    {
      ...base,
      model: siteModel(config, visible),
      images: new ImageRegistry(undefined),
      global: '',
    },
    assets.files,
  );
  const out = new Map<string, string>();
  for (const o of plan.outputs) {
    if (o.make.kind === 'page') out.set(o.path, render(o.make.job()));
    else if (o.make.kind === 'text') out.set(o.path, o.make.text());
    else if (o.make.kind === 'feed')
      out.set(
        o.path,
        feedXml(o.make.feed(), (e) => escapeXml(render(e.content()))),
      );
  }
  return out;
}

describe('templates compiled ahead', () => {
  it('render every page byte for byte as compiled ones, with overrides using partials in every way', async () => {
    const p = fixtureProject();
    cleanups.push(p.cleanup);
    // What the compile options change: indented, nested and inline partials, helpers.
    override(
      p.dir,
      'pages/list.hbs',
      '{{#*inline "count"}}<p>{{entries.length}} {{t "archive.empty"}}</p>{{/inline}}\n<h1>{{heading}}</h1>\n  {{> count}}\n<ol>\n  {{#each entries}}\n    {{> entry}}\n  {{/each}}\n</ol>\n    {{> pagination}}\n',
    );
    override(
      p.dir,
      'partials/entry.hbs',
      '<li>\n  {{> badge}}\n  <a href="{{href}}">{{title}}</a>{{#if (eq type "news")}} (news){{/if}}\n</li>\n',
    );
    override(p.dir, 'partials/badge.hbs', '<span>{{typeLabel}}</span>\n<time>{{date}}</time>\n');
    const compiled = await renderAll(p.dir, () => undefined);
    const ahead = await renderAll(p.dir, (s) => compiledAhead(p.dir, s));
    // Only the built-in ones compiled ahead, the project's compiled when used.
    const builtinOnly = await renderAll(p.dir, () => {
      const t = loadSiteTemplates({ ...projectConfig(p.dir), templatesDir: path.join(p.dir, 'none') });
      return compiledAhead(p.dir, t.templates!.sources);
    });
    expect(compiled.size).toBeGreaterThan(20);
    expect([...compiled.values()].join('')).toContain('(news)');
    expect(ahead).toEqual(compiled);
    expect(builtinOnly).toEqual(compiled);
  });

  it('are used only with the compiler revision and the options they were made with', () => {
    const p = fixtureProject();
    cleanups.push(p.cleanup);
    const set = compiledAhead(p.dir, loadSiteTemplates(projectConfig(p.dir)).templates!.sources);
    const revision = compilerRevision(handlebars());
    expect(usableSpecs(set, revision)).toBe(set.specs);
    expect(usableSpecs(set, revision + 1)).toBeUndefined();
    expect(usableSpecs({ ...set, options: '{}' }, revision)).toBeUndefined();
    expect(usableSpecs(undefined, revision)).toBeUndefined();
  });

  it('are built into dist/ for every built-in template', () => {
    const set = createRequire(import.meta.url)(
      path.join(REPO, 'dist', 'precompiled-templates.cjs'),
    ) as PrecompiledTemplates;
    const templates = readdirSync(BUILTIN_SITE_TEMPLATES, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.hbs'),
    );
    expect(templates.length).toBeGreaterThan(15);
    for (const rel of templates)
      expect(
        set.specs[sourceHash(readFileSync(path.join(BUILTIN_SITE_TEMPLATES, rel), 'utf8'))],
        rel,
      ).toBeDefined();
    expect(usableSpecs(set, compilerRevision(handlebars()))).toBe(set.specs);
  });
});
