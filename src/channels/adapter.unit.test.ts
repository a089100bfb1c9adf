import { describe, expect, it } from 'vitest';
import { CHANNEL_CAPABILITIES, capabilitiesOf } from '../contracts/channel-capabilities.js';
import { CHANNELS } from '../contracts/common.js';
import { channelRegistry } from './index.js';

describe('channel adapters', () => {
  it('every built adapter declares the capabilities the engine reads for its channel', () => {
    expect(channelRegistry.all().map((a) => a.channel).sort()).toEqual(['api', 'email', 'facebook', 'instagram', 'sms', 'telegram', 'webchat', 'whatsapp']);
    for (const a of channelRegistry.all()) expect(a.capabilities).toBe(CHANNEL_CAPABILITIES[a.channel]);
  });

  it('every channel of the model has capabilities; only e-mail is counted as e-mail work, skips the bot and hours, and threads', () => {
    for (const c of CHANNELS) expect(capabilitiesOf(c)).toBeDefined();
    const email = CHANNELS.filter((c) => capabilitiesOf(c).workload === 'email');
    expect(email).toEqual(['email']);
    expect(CHANNELS.filter((c) => !capabilitiesOf(c).botStage || !capabilitiesOf(c).businessHours || capabilitiesOf(c).threading || capabilitiesOf(c).triage)).toEqual(['email']);
    // the bot draws WebChat menus as buttons (max 20 options), text-only channels number them
    expect(capabilitiesOf('webchat').interactive?.buttons).toBeGreaterThanOrEqual(20);
    expect(capabilitiesOf('api').interactive).toBeNull();
  });
});
