import { CHANNEL_CAPABILITIES } from '../../contracts/channel-capabilities.js';
import type { OutboundHook } from '../../engine/engine.js';
import { enqueueOutbox } from '../../engine/outbox.js';
import type { ChannelAdapter } from '../adapter.js';
import { CHANNEL_SEND } from '../outbound.js';
import { testMailbox } from './connection-test.js';
import { sendEmail } from './send.js';
import { mailboxWatcher } from './watcher.js';

// The e-mail channel. Account (provider `imap`, contracts/channel-account-fields.ts): an IMAP folder
// read by a watcher on one node at a time (watcher.ts), SMTP to send (send.ts), the Sent folder for
// the copies. No webhook: Mirante reads the mailbox itself. Only the agent's messages go out as
// e-mails: the protocol and system notes stay on the desk (every reply carries the protocol in its
// subject), so a customer never gets an e-mail for each step of the conversation.

const emailOutbound: OutboundHook = async (u, conversation, message) => {
  if (message.authorType === 'agent') {
    await enqueueOutbox(u.tx, { kind: CHANNEL_SEND, messageId: message.id, target: conversation.channel, payload: { channel: conversation.channel, conversationId: conversation.id } }, u.now);
    return;
  }
  // nothing will deliver it: not "pending" forever
  await u.tx.query('UPDATE messages SET delivery_status = NULL WHERE id = $1', [message.id]);
};

export const emailAdapter: ChannelAdapter = {
  channel: 'email',
  capabilities: CHANNEL_CAPABILITIES.email,
  send: sendEmail,
  worker: mailboxWatcher(),
  outbound: () => ({ hook: emailOutbound }),
  testConnection: testMailbox,
};
