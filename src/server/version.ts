import { readFileSync } from 'node:fs';

/** Mirante's version (package.json): the OpenAPI's, /api/version's and the Versão column of Indicadores. */
export const VERSION = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string;
