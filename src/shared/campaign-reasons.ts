// Why a campaign row did not go, or failed, in both languages: the server says it in the request's
// language (validation, the recipients list, the download) and the screen may show the same words.

export type CampaignReason = 'opted_out' | 'duplicate' | 'invalid_phone' | 'missing_parameter' | 'interrupted' | 'cancelled' | 'invalid_row' | 'provider';

export const CAMPAIGN_REASONS: Record<CampaignReason, { en: string; pt: string }> = {
  opted_out: { en: 'the contact asked not to receive active messages (opt-out)', pt: 'o contato pediu para não receber mensagens ativas (opt-out)' },
  duplicate: { en: 'the same number is on an earlier line', pt: 'o mesmo número está em uma linha anterior' },
  invalid_phone: { en: 'not a valid phone number', pt: 'não é um número de telefone válido' },
  missing_parameter: { en: 'a parameter of the template is empty', pt: 'um parâmetro do template está vazio' },
  interrupted: {
    en: 'the node sending it stopped before the provider’s answer was stored: it may or may not have reached the contact, and it is not sent again',
    pt: 'o servidor que enviava parou antes de guardar a resposta do provedor: pode ter chegado ou não ao contato, e não é reenviada',
  },
  cancelled: { en: 'the campaign was cancelled before it went', pt: 'a campanha foi cancelada antes do envio' },
  invalid_row: { en: 'the line does not have the header’s columns', pt: 'a linha não tem as colunas do cabeçalho' },
  provider: { en: 'the provider refused the message', pt: 'o provedor recusou a mensagem' },
};

/** The sentence of a row's reason; a provider failure adds the provider's own words. */
export function campaignReasonText(reason: string | null, lang: 'en' | 'pt', detail?: string | null): string | null {
  if (!reason) return null;
  const said = CAMPAIGN_REASONS[reason as CampaignReason];
  const base = said ? said[lang] : reason;
  return detail ? `${base}: ${detail}` : base;
}
