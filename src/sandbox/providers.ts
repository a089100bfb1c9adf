import { metaMessenger } from './meta-messenger.js';
import { gupshup } from './gupshup.js';
import { metaWhatsApp } from './meta-whatsapp.js';
import type { SandboxProvider } from './sandbox.js';
import { telegramProvider } from './telegram.js';
import { twilioProvider } from './twilio.js';

// The providers the sandbox speaks. A new one: its file here, and one line in this list.
export const SANDBOX_PROVIDERS: SandboxProvider[] = [
  metaMessenger,
  telegramProvider(),
  twilioProvider(),
  metaWhatsApp.provider,
  gupshup.provider,
];
