import type { FastifyRequest } from 'fastify';
import { AppError, at } from '../engine/errors.js';

// A file sent to Mirante (the WebChat visitor's, the agent's): multipart/form-data with one file part,
// or the raw file with its content-type and an x-filename header (URI-encoded). The route decides
// the type from the bytes; this only reads what was sent.

/** Content types that say nothing about the file: its bytes decide. */
export const GENERIC_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

/** An upload's body for the OpenAPI (the routes read the raw bytes themselves: no validator). */
export const UPLOAD_BODY = {
  description: 'One file: a multipart form with one file part, or the raw bytes with their content-type and the name in x-filename',
  content: {
    'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } },
    'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
  },
};

export interface UploadedFile {
  name: string | undefined;
  /** the type the sender gave, lower-case, without parameters */
  declared: string;
  data: Uint8Array;
}

/** The file of an upload request whose body was read as a buffer; 400 when there is none, 413 past `maxBytes`. */
export async function readUploadedFile(req: FastifyRequest, maxBytes: number): Promise<UploadedFile> {
  const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
  let name: string | undefined;
  let declared: string;
  let data: Uint8Array;
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(req.body as Buffer), { headers: { 'content-type': contentType } }).formData().catch(() => null);
    const file = form && [...form.values()].find((v): v is File => typeof v !== 'string');
    if (!file) throw new AppError(400, 'validation_error', at('body', { en: 'a multipart form with one file is required', pt: 'é preciso um formulário multipart com um arquivo' }));
    name = file.name;
    declared = file.type.toLowerCase();
    data = new Uint8Array(await file.arrayBuffer());
  } else {
    const raw = req.headers['x-filename'] as string | undefined;
    try {
      name = raw ? decodeURIComponent(raw) : undefined;
    } catch {
      name = raw;
    }
    declared = contentType.split(';')[0].trim();
    data = req.body as Buffer;
  }
  if (!data?.byteLength) throw new AppError(400, 'validation_error', at('body', { en: 'the file is empty', pt: 'o arquivo está vazio' }));
  if (data.byteLength > maxBytes) throw new AppError(413, 'payload_too_large', at('file', { en: `larger than ${maxBytes / 1024 / 1024} MB`, pt: `maior que ${maxBytes / 1024 / 1024} MB` }));
  return { name, declared, data };
}

/** 415 naming what is accepted, and what the file really is when known. */
export function unsupportedFile(accepted: readonly string[], type: string | null, declared: string): AppError {
  return new AppError(415, 'unsupported_media_type', {
    en: `file: only ${accepted.join(', ')} are accepted${type ? ` (the file is ${type}, sent as ${declared})` : ''}`,
    pt: `file: só ${accepted.join(', ')} são aceitos${type ? ` (o arquivo é ${type}, enviado como ${declared})` : ''}`,
  });
}
