import type { FastifyRequest } from 'fastify';

export type Language = 'en' | 'pt';

/**
 * The language a request asks for: the first tag of Accept-Language (the web app and the widget send
 * theirs; a browser sends its own). Portuguese for pt, pt-BR…; English otherwise, the API's default.
 */
export function requestLanguage(req: FastifyRequest): Language {
  const header = req.headers['accept-language'];
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((x) => /^\s*q=([\d.]+)\s*$/.exec(x)?.[1]).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag === 'pt' || tag.startsWith('pt-')) return 'pt';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}
