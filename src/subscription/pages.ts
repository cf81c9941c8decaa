import type { Config } from '../config/types.js';
import { escapeHtml as esc } from '../core/text.js';
import { fill } from '../email/strings.js';
import { publicLists } from '../subscribers/lists.js';
import { pageTexts } from './texts.js';

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#f4f4f2}
main{max-width:34rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:8px}
.org{margin:0 0 .5rem;color:#555;font-size:.9rem;text-transform:uppercase;letter-spacing:.05em}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 1rem}
label,legend{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=email],input[type=text]{width:100%;padding:.6rem;font:inherit;border:1px solid #767676;border-radius:4px}
fieldset{border:0;padding:0;margin:1rem 0 0;min-width:0}
legend{padding:0;margin:0 0 .25rem}
fieldset label{font-weight:400;margin:.25rem 0}
.desc{display:block;color:#555;font-size:.9rem;margin-left:1.6rem}
button{margin-top:1.25rem;padding:.65rem 1.2rem;font:inherit;font-weight:600;color:#fff;background:#0b5cad;border:0;border-radius:4px;cursor:pointer}
button.secondary{background:#fff;color:#0b5cad;border:1px solid #0b5cad;margin-left:.5rem}
button:focus-visible,input:focus-visible,a:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.error{padding:.75rem 1rem;border-left:4px solid #b00020;background:#fdecee}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.small{color:#555;font-size:.9rem}
nav{margin-top:1.5rem;font-size:.9rem}
a{color:#0b5cad}
`;

/** A whole page in one language. */
export function page(config: Config, lang: string, title: string, content: string): string {
  const org = config.organization.names[lang] ?? config.organization.name;
  return (
    `<!doctype html>\n<html lang="${esc(lang)}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">' +
    `<title>${esc(title)} – ${esc(org)}</title><style>${STYLE}</style></head>` +
    `<body><main><p class="org">${esc(org)}</p><h1>${esc(title)}</h1>${content}</main></body></html>\n`
  );
}

const paragraphs = (texts: readonly string[]) => texts.map((t) => `<p>${esc(t)}</p>`).join('');

/** A page saying one thing, optionally with a link back to the form. */
export function messagePage(
  config: Config,
  lang: string,
  title: string,
  texts: readonly string[],
  options: { signUpLink?: boolean; error?: boolean } = {},
): string {
  const t = pageTexts(lang);
  const body = options.error
    ? `<div class="error" role="alert">${paragraphs(texts)}</div>`
    : paragraphs(texts);
  const link = options.signUpLink
    ? `<nav><a href="subscribe?lang=${esc(lang)}">${esc(t.signUpAgain)}</a></nav>`
    : '';
  return page(config, lang, title, body + link);
}

export interface FormState {
  email?: string;
  name?: string;
  lists?: string[];
  /** Already localised. */
  error?: string;
  /** Which field the error is about, for focus and aria-describedby. */
  errorField?: 'email' | 'lists' | 'name';
}

const capitalise = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);

/** The sign-up form, with the lists to choose from and the visitor's earlier input when it was refused. */
export function subscribePage(config: Config, lang: string, state: FormState = {}): string {
  const t = pageTexts(lang);
  const lists = publicLists(config);
  const chosen = new Set(state.lists ?? lists.filter((l) => l.lang === lang).map((l) => l.id));
  const described = (field: FormState['errorField']) =>
    state.errorField === field ? ' aria-describedby="form-error" aria-invalid="true"' : '';
  const listField =
    lists.length === 1
      ? `<input type="hidden" name="lists" value="${esc(lists[0]!.id)}"><p>${esc(fill(t.singleList, { list: lists[0]!.name[lang] ?? lists[0]!.id }))}</p>`
      : `<fieldset${described('lists')}><legend>${esc(t.listsLegend)}</legend>${lists
          .map(
            (l) =>
              `<label><input type="checkbox" name="lists" value="${esc(l.id)}"${chosen.has(l.id) ? ' checked' : ''}> ${esc(l.name[lang] ?? l.id)}` +
              (l.description?.[lang] ? `<span class="desc">${esc(l.description[lang]!)}</span>` : '') +
              '</label>',
          )
          .join('')}</fieldset>`;
  const otherLanguages = config.languages
    .filter((l) => l !== lang)
    .map((l) => {
      const label = capitalise(new Intl.DisplayNames([l], { type: 'language' }).of(l) ?? l);
      return `<a href="subscribe?lang=${esc(l)}" hreflang="${esc(l)}" lang="${esc(l)}">${esc(label)}</a>`;
    });
  const content =
    (state.error ? `<div class="error" id="form-error" role="alert"><p>${esc(state.error)}</p></div>` : '') +
    `<p>${esc(t.subscribeIntro)}</p>` +
    '<form method="post" action="subscribe">' +
    `<input type="hidden" name="lang" value="${esc(lang)}">` +
    `<label for="email">${esc(t.emailLabel)}</label>` +
    `<input type="email" id="email" name="email" required autocomplete="email" maxlength="254" value="${esc(state.email ?? '')}"${described('email')}${state.errorField === 'email' ? ' autofocus' : ''}>` +
    `<label for="name">${esc(t.nameLabel)}</label>` +
    `<input type="text" id="name" name="name" autocomplete="name" maxlength="200" value="${esc(state.name ?? '')}"${described('name')}>` +
    listField +
    // A field people never see: bots that fill in every field give themselves away.
    `<div class="hp" aria-hidden="true"><label for="website">${esc(t.honeypot)}</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>` +
    `<button type="submit">${esc(t.submit)}</button></form>` +
    `<p class="small">${esc(t.privacy)}</p>` +
    `<nav><a href="${esc(config.site.languageBaseUrls[lang] ?? config.site.baseUrl)}"><span aria-hidden="true">← </span>${esc(t.backToPressRoom)}</a>` +
    (otherLanguages.length ? ` · ${otherLanguages.join(' · ')}` : '') +
    '</nav>';
  return page(
    config,
    lang,
    fill(t.subscribeTitle, { organization: config.organization.names[lang] ?? config.organization.name }),
    content,
  );
}

/**
 * A page that asks, and changes nothing until its button posts the form back with the link's token:
 * mail providers' link scanners open links, but do not press buttons.
 */
function questionPage(
  config: Config,
  lang: string,
  title: string,
  question: string,
  action: { path: string; token: string },
  buttons: string,
): string {
  const target = `${action.path}?token=${encodeURIComponent(action.token)}`;
  return page(
    config,
    lang,
    title,
    `<p>${esc(question)}</p><form method="post" action="${esc(target)}">${buttons}</form>`,
  );
}

/** The page behind a List-Unsubscribe link. */
export function unsubscribePage(
  config: Config,
  lang: string,
  options: { token: string; email: string; listName: string; onOtherLists: boolean },
): string {
  const t = pageTexts(lang);
  return questionPage(
    config,
    lang,
    t.unsubscribeTitle,
    fill(t.unsubscribeQuestion, { list: options.listName, email: options.email }),
    { path: 'unsubscribe', token: options.token },
    `<button type="submit" name="scope" value="list">${esc(t.unsubscribeButton)}</button>` +
      (options.onOtherLists
        ? `<button type="submit" class="secondary" name="scope" value="all">${esc(t.unsubscribeAllButton)}</button>`
        : ''),
  );
}

/** The page behind the confirmation mail's link. */
export function confirmPage(
  config: Config,
  lang: string,
  options: { token: string; email: string; listNames: string },
): string {
  const t = pageTexts(lang);
  return questionPage(
    config,
    lang,
    t.confirmTitle,
    fill(t.confirmQuestion, { email: options.email, lists: options.listNames }),
    { path: 'confirm', token: options.token },
    `<button type="submit">${esc(t.confirmButton)}</button>`,
  );
}
