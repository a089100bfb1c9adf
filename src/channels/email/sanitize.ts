import sanitizeHtml from 'sanitize-html';

// An e-mail's HTML as the desk may show it (in a frame with `sandbox=""` and a CSP that forbids
// remote loads): no script, no event handler, no form, no frame, no <style>/<link>, no remote load.
// A remote image keeps its address in `data-remote-src` (no `src`), so the desk loads it only when the
// agent asks ("Mostrar imagens"); inline images (cid:) arrive from mailparser as data: URIs and stay.

/** The attribute that keeps a blocked remote image's address. */
export const REMOTE_SRC_ATTR = 'data-remote-src';

const REMOTE = /^\s*(?:https?:)?\/\//i;
/** CSS that would load something (url(), @import) or run something (old IE expression()). */
const LOADING_CSS = /url\s*\(|@import|expression\s*\(|behavior\s*:|-moz-binding/i;

const TAGS = [
  ...sanitizeHtml.defaults.allowedTags,
  'img', 'font', 'center', 'span', 'div', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption', 'colgroup', 'col', 'hr', 'br', 'u', 's', 'small', 'big', 'sup', 'sub',
];

const COMMON_ATTRS = ['style', 'align', 'valign', 'width', 'height', 'dir', 'lang', 'title', 'class', 'bgcolor', 'color', 'border', 'cellpadding', 'cellspacing', 'colspan', 'rowspan', 'face', 'size'];

export interface SanitizedHtml {
  html: string;
  /** how many remote images were blocked (the desk offers "Mostrar imagens" when > 0) */
  remoteImages: number;
}

export function sanitizeEmailHtml(raw: string): SanitizedHtml {
  let remoteImages = 0;
  const html = sanitizeHtml(raw, {
    allowedTags: TAGS,
    // script, style, textarea, noscript… are dropped with their text
    disallowedTagsMode: 'discard',
    allowedAttributes: {
      '*': COMMON_ATTRS,
      a: ['href', 'name', 'target', 'rel', ...COMMON_ATTRS],
      img: ['src', 'alt', REMOTE_SRC_ATTR, ...COMMON_ATTRS],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    // an image is either inline (data:) or blocked; a remote one was moved to data-remote-src first
    allowedSchemesByTag: { img: ['data'] },
    allowProtocolRelative: false,
    transformTags: {
      img: (tagName, attribs) => {
        const { src, ...rest } = attribs;
        if (src && REMOTE.test(src)) {
          remoteImages++;
          return { tagName, attribs: { ...rest, [REMOTE_SRC_ATTR]: src.trim() } };
        }
        return { tagName, attribs };
      },
      // links open outside Mirante, never in the frame
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' } }),
    },
  });
  return { html: dropLoadingStyles(html), remoteImages };
}

/** Drops style attributes whose CSS would load or run something (sanitize-html keeps styles as text), whole. */
function dropLoadingStyles(html: string): string {
  return html.replace(/\sstyle="([^"]*)"/gi, (all, css: string) => (LOADING_CSS.test(decodeEntities(css)) ? '' : all));
}

function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\\/g, '');
}
