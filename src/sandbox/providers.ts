import { gupshup } from './gupshup.js';
import { metaWhatsApp } from './meta-whatsapp.js';
import type { SandboxProvider } from './sandbox.js';

// The providers the sandbox speaks. A new one: its file here, and one line in this list.
export const SANDBOX_PROVIDERS: SandboxProvider[] = [
  metaWhatsApp.provider,
  gupshup.provider,
];
