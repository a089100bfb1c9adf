import type { FastifyReply } from 'fastify';
import { EXPORT_TOTAL_HEADER } from '../contracts/lookback.js';
import type { OpenedExport } from '../engine/exports/table-export.js';

/**
 * Sends a list's download (engine/exports/table-export.ts): its type, a pt-BR file name, the row
 * count when known (the screen's progress) and the streamed body, never cached.
 */
export function sendExport(reply: FastifyReply, file: OpenedExport): FastifyReply {
  reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .header('cache-control', 'no-store');
  if (file.total !== null) reply.header(EXPORT_TOTAL_HEADER, String(file.total));
  // a stream is sent as it is, not through the JSON schema (which types only the list)
  return reply.send(file.body as never);
}
