import type { FastifyReply } from 'fastify';
import { isImage } from '../channels/webchat/files.js';
import type { StoredFile } from '../engine/attachments.js';

/**
 * A stored file as a download: its type, its name (ASCII and UTF-8), images inline and anything else
 * as an attachment, never sniffed nor run as a page, kept only in the browser's private cache. The
 * visitor's, the staff's and the signed public links (routes/media.ts) all answer with it.
 */
export function sendFile(reply: FastifyReply, f: StoredFile) {
  const encoded = encodeURIComponent(f.name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const ascii = f.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('content-type', f.type === 'text/plain' ? 'text/plain; charset=utf-8' : f.type)
    .header('content-disposition', `${isImage(f.type) ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encoded}`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cross-origin-resource-policy', 'cross-origin')
    .header('cache-control', 'private, max-age=3600')
    .send(Buffer.from(f.data));
}
