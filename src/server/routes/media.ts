import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../../contracts/common.js';
import { outboundAttachment } from '../../engine/attachments.js';
import { AppError } from '../../engine/errors.js';
import { checkMediaLink } from '../../engine/media-links.js';
import { sendFile } from '../send-file.js';
import type { RouteDeps } from './index.js';

/**
 * A file of an outbound message by a signed, expiring link (engine/media-links.ts): what a provider
 * that fetches media from a URL (Twilio's MediaUrl) reads. No session; the signature is the access.
 */
export function mediaRoutes(app: FastifyInstance, { runtime, secretKey }: RouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get('/media/:attachmentId', {
    config: { access: 'public' },
    schema: {
      tags: ['channels'],
      summary: 'A file an agent sends, for the provider that delivers it (a signed link that expires in hours)',
      description: 'Links are made by Mirante for the provider (Twilio MediaUrl); 403 for a missing, altered or expired signature, 404 for a file that is not part of a message sent to a customer.',
      params: z.strictObject({ attachmentId: z.string().max(64) }),
      querystring: z.object({
        exp: z.string().max(20).describe('when the link expires, Unix seconds'),
        sig: z.string().max(128).describe('HMAC-SHA256 of "attachmentId.exp", base64url'),
      }),
      response: { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (req, reply) => {
    const { attachmentId } = req.params;
    const check = checkMediaLink(secretKey, attachmentId, req.query.exp, req.query.sig, runtime.engine.clock.now());
    if (check === 'expired') throw new AppError(403, 'link_expired', { en: 'this file link has expired', pt: 'este link de arquivo expirou' });
    if (check !== 'valid') throw new AppError(403, 'invalid_signature', { en: 'the link signature does not match', pt: 'a assinatura do link não confere' });
    return sendFile(reply, await outboundAttachment(runtime.engine.db, attachmentId));
  });
}
