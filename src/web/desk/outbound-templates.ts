import type { Service, Template } from '../../contracts/admin';
import { capabilitiesOf } from '../../contracts/channel-capabilities';

// Which templates Nova conversa ativa offers: the ones the server would send
// (engine/conversations/template-message.ts `loadSendableTemplate`), so the list offers no refusal.

/** The templates that may open a conversation on this service: active, of its channel (or any); on WhatsApp approved and of its account. */
export function sendableTemplates(templates: readonly Template[], service: Pick<Service, 'channel' | 'channelAccountId'> | null): Template[] {
  if (!service) return [];
  const withTemplates = capabilitiesOf(service.channel).templates;
  return templates.filter((x) => x.active && (x.channel === null || x.channel === service.channel)
    && (!withTemplates || (!!x.providerTemplate && (x.status === null || x.status === 'APPROVED') && (x.channelAccountId === null || x.channelAccountId === service.channelAccountId))));
}

