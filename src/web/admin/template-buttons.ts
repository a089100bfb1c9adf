import type { TemplateButton } from '../../contracts/admin';
import { TEMPLATE_LIMITS } from '../../shared/template-text';

// A template's buttons within WhatsApp's limits (TEMPLATE_LIMITS), for the admin form (TemplateButtons.tsx).

/** Whether one more button of this kind fits the provider's limits. */
export function buttonFits(buttons: readonly TemplateButton[], kind: TemplateButton['type']): boolean {
  const count = buttons.filter((b) => b.type === kind).length;
  if (buttons.length >= TEMPLATE_LIMITS.buttons) return false;
  if (kind === 'URL') return count < TEMPLATE_LIMITS.urlButtons;
  if (kind === 'PHONE_NUMBER') return count < TEMPLATE_LIMITS.phoneButtons;
  return true;
}

