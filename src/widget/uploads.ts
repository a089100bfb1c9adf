// Checks of a file before it is uploaded, and the words for a refusal (the server's 413/415 told in
// the customer's language, with what it does accept).

import type { WebchatConfig } from '../contracts/webchat';
import type { HttpError } from './http';
import type { Translate } from './i18n';

export function formatSize(bytes: number, t: Translate): string {
  return bytes >= 1024 * 1024 ? t('mb', { n: Math.round((bytes / 1024 / 1024) * 10) / 10 }) : t('kb', { n: Math.ceil(bytes / 1024) });
}

/** "Envie imagens, PDF, texto, Word ou Excel." from the accepted MIME types. */
export function acceptedKinds(config: WebchatConfig | null, t: Translate): string {
  const kinds: string[] = [];
  for (const type of config?.attachmentTypes ?? []) {
    const kind = type.startsWith('image/') ? t('kImages') : type === 'application/pdf' ? 'PDF' : type.startsWith('text/') ? t('kText')
      : type.includes('wordprocessing') || type === 'application/msword' ? 'Word' : type.includes('spreadsheet') || type.includes('excel') ? 'Excel' : type;
    if (!kinds.includes(kind)) kinds.push(kind);
  }
  if (!kinds.length) return '';
  return t('accepted', { list: kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')}${t('or')}${kinds[kinds.length - 1]}` : kinds[0] });
}

/** Why a file cannot go, before sending it (the server checks again, by the file's bytes); null: it can. */
export function checkFile(file: File, config: WebchatConfig | null, t: Translate): string | null {
  if (!config) return null;
  if (file.size > config.maxAttachmentBytes) return t('tooBig', { name: file.name, max: formatSize(config.maxAttachmentBytes, t) });
  const types = config.attachmentTypes;
  if (types.length && !types.some((x) => x === file.type || (x.endsWith('/*') && file.type.startsWith(x.slice(0, -1))))) {
    return `${t('badType', { name: file.name })} ${acceptedKinds(config, t)}`;
  }
  return null;
}

/** The server's refusal: too big (413), a type it does not take (415), a quota (its reason); anything else with its own reason. */
export function refusal(e: HttpError, file: File, config: WebchatConfig | null, t: Translate): string {
  if (e.code === 'upload_quota_exceeded') return t('quotaFull', { name: file.name, r: e.message });
  if (e.status === 413) return t('tooBig', { name: file.name, max: config ? formatSize(config.maxAttachmentBytes, t) : '' });
  if (e.status === 415) return `${t('badType', { name: file.name })} ${acceptedKinds(config, t)}`;
  if (e.status === 429) return t('rateLimited');
  return `${t('uploadFailed', { name: file.name })}${e.status >= 400 ? ` ${t('serverSaid', { r: e.message })}` : ''}`;
}
