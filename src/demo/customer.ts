// What a simulated customer answers the bot (core/bot-flow-sample.ts, the demo services' flow): most
// ask for a person, some go through the financial menu and give their CPF, some only want the opening
// hours and leave satisfied (the bot finished it: Autoatendimento), a few go silent (the bot's
// timeout ends those). Pure, so that the paths are tested without a server.

export interface BotChat {
  /** the customer already asked for the opening hours */
  sawHours?: boolean;
  /** the customer already gave a wrong CPF once */
  triedCpf?: boolean;
}

/** The customer's answer to a bot message, or null to stay silent. `random` in [0, 1). */
export function answerBot(text: string, chat: BotChat, random: () => number = Math.random): string | null {
  const r = random();
  if (text.includes('Como podemos ajudar')) {
    if (chat.sawHours) return r < 0.7 ? 'Encerrar' : 'Falar com atendente';
    if (r < 0.45) return 'Falar com atendente';
    if (r < 0.7) return 'Financeiro';
    if (r < 0.83) return 'Suporte técnico';
    if (r < 0.96) {
      chat.sawHours = true;
      return 'Horário de atendimento';
    }
    return null;
  }
  if (text.includes('Financeiro: o que você precisa')) return r < 0.6 ? 'Segunda via de boleto' : 'Outros assuntos financeiros';
  if (text.includes('informe o CPF') || text.includes('Esse CPF não parece válido')) {
    if (!chat.triedCpf && r < 0.15) {
      chat.triedCpf = true;
      return '123.456.789-00';
    }
    return '529.982.247-25';
  }
  return null;
}

/** A bot menu option as a channel drew it: its id (or payload, callback data) and the title shown. */
export interface DrawnOption {
  id: string;
  title: string;
  /** a row's description (WhatsApp lists show a long label whole there) */
  description?: string;
}

/**
 * The drawn option that stands for `label`: same title, or a title the channel clipped (… at the end)
 * that begins the label, or the description. Null when the menu has no such option.
 */
export function optionFor(label: string, options: readonly DrawnOption[]): DrawnOption | null {
  const exact = options.find((o) => o.title === label || o.description === label);
  if (exact) return exact;
  return options.find((o) => o.title.endsWith('…') && label.startsWith(o.title.slice(0, -1))) ?? null;
}

/** The number of `label` in a menu written as numbered lines ("2 - Suporte técnico"), as text-only channels get it. */
export function numberFor(label: string, text: string): string | null {
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s*[-–.)]\s*(.+?)\s*$/.exec(line);
    if (m && m[2] === label) return m[1];
  }
  return null;
}
