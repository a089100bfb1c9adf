import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody, IdParams } from '../../contracts/common.js';
import { AGENT_ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, safeFileName, sniffAgentType } from '../../channels/webchat/files.js';
import { assertMayUpload, storeAgentUpload } from '../../engine/conversations/agent-send.js';
import type { Runtime } from '../../engine/runtime.js';
import { ALL_ROLES, requireUploadHeader } from '../auth/plugin.js';
import { GENERIC_TYPES, readUploadedFile, unsupportedFile, UPLOAD_BODY } from '../uploads.js';

export const AgentUpload = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  size: z.number().int(),
  /** the staff's download address of the file */
  url: z.string(),
});

/**
 * The agent attaches a file to send in the conversation: multipart/form-data (one file) or the raw
 * file, with the file's name in `x-filename` (required: see the auth plugin's `upload`). The bytes
 * decide the type; the channel's capabilities decide whether it can carry it. The message that sends
 * it names its id (POST /api/conversations/:id/messages `attachmentIds`).
 */
export function agentAttachmentRoutes(app: FastifyInstance, { runtime }: { runtime: Runtime }): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_ATTACHMENT_BYTES + 256 * 1024 }, (_req, body, done) => done(null, body));
    scope.withTypeProvider<ZodTypeProvider>().post('/api/conversations/:id/attachments', {
      config: { access: ALL_ROLES, upload: true, docBody: UPLOAD_BODY },
      bodyLimit: MAX_ATTACHMENT_BYTES + 256 * 1024,
      schema: {
        tags: ['conversations'],
        summary: 'The conversation’s agent uploads a file (≤ 10 MB: images, PDF, text, Word, Excel, MP3/Ogg/MP4 audio, MP4 video) to send in a message',
        description: 'Name the file in the x-filename header (URI-encoded). 403 for anyone but the conversation’s agent; 409 when it is not in service; 413 over 10 MB; 415 for a type not accepted or one the channel does not carry. A file not sent within an hour is deleted.',
        params: IdParams,
        response: { 201: AgentUpload, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody },
      },
    }, async (req, reply) => {
      // who may, before anything about the file: out of scope is a 404 like an unknown id
      await assertMayUpload(runtime.engine.db, req.actor, req.params.id);
      requireUploadHeader(req);
      const { name, declared, data } = await readUploadedFile(req, MAX_ATTACHMENT_BYTES);
      const type = sniffAgentType(data);
      // browsers name audio and video loosely (audio/mp3, audio/x-m4a, video/quicktime): the family must agree
      const family = (x: string) => x.split('/')[0];
      const declaredOk = GENERIC_TYPES.has(declared) || declared === type || (declared.startsWith('text/plain') && type === 'text/plain')
        || (type !== null && (family(type) === 'audio' || family(type) === 'video') && family(declared) === family(type));
      if (!type || !declaredOk) throw unsupportedFile(AGENT_ATTACHMENT_TYPES, type, declared);
      const meta = await storeAgentUpload(runtime.engine, req.actor, req.params.id, { name: safeFileName(name, type), type, data });
      return reply.code(201).send({ ...meta, url: `/api/attachments/${meta.id}` });
    });
  });
}
