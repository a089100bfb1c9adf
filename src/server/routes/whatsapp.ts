import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody } from '../../contracts/common.js';
import { WalletQuery, WhatsAppWallet } from '../../contracts/whatsapp.js';
import { walletOfService } from '../../engine/whatsapp-wallet.js';
import { STAFF } from '../auth/plugin.js';
import type { RouteDeps } from './index.js';

// Carteira WhatsApp: a WhatsApp service's wallet and number, as last read from the provider.
export function whatsappRoutes(app: FastifyInstance, { db, secretKey }: RouteDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get('/api/whatsapp/wallet', {
    config: { access: STAFF },
    schema: {
      tags: ['whatsapp'],
      summary: 'Carteira WhatsApp: the service’s wallet balance and currency (Gupshup), the number’s quality and messaging limit, as last read from the provider',
      description: 'Read by the account’s worker every 15 minutes on one node. 404 for a service outside the caller’s supervision; 422 `wallet_not_configured` when the service has no WhatsApp account or its App Id / App Token are missing ("configure no cadastro do serviço"); 422 `not_whatsapp` for a service of another channel.',
      querystring: WalletQuery,
      response: { 200: WhatsAppWallet, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 422: ErrorBody },
    },
  }, async (req) => walletOfService(db, secretKey, req.actor, req.query.serviceId));
}
