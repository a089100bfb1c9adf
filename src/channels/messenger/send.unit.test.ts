import { describe, expect, it } from 'vitest';
import { CHANNEL_CAPABILITIES } from '../../contracts/channel-capabilities.js';
import { PermanentFailure } from '../../engine/outbox.js';
import { GraphError } from '../meta/graph.js';
import { OPTION_PAYLOAD_PREFIX } from './events.js';
import { messageBody, quickReplies, sendError, windowDecision } from './send.js';

const H = 3_600_000;
const fb = CHANNEL_CAPABILITIES.facebook;

describe('the Messenger window', () => {
  const last = new Date('2026-03-01T12:00:00Z');
  const at = (hours: number) => new Date(last.getTime() + hours * H);

  it('within 24 h a normal reply; up to 7 days the HUMAN_AGENT tag; after that, closed', () => {
    expect(windowDecision(fb.window, at(0.5), last).kind).toBe('open');
    expect(windowDecision(fb.window, at(24), last).kind).toBe('open');
    expect(windowDecision(fb.window, at(24.01), last)).toEqual({ kind: 'human_agent', messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    expect(windowDecision(fb.window, at(168), last).kind).toBe('human_agent');
    expect(windowDecision(fb.window, at(168.01), last).kind).toBe('closed');
  });

  it('the bot and the system get no HUMAN_AGENT tag: past 24 h their messages are refused', () => {
    expect(windowDecision(fb.window, at(23), last, false).kind).toBe('open');
    expect(windowDecision(fb.window, at(25), last, false).kind).toBe('closed');
  });

  it('a customer who never wrote cannot be written to; a channel without a window always can', () => {
    expect(windowDecision(fb.window, at(0), null).kind).toBe('closed');
    expect(windowDecision(null, at(1000), null).kind).toBe('open');
    // a message written before the customer's last one (a late retry) is inside
    expect(windowDecision(fb.window, at(-1), last).kind).toBe('open');
  });
});

describe('the Send API bodies', () => {
  it('a bot menu as quick replies (titles cut to 20, the option in the payload); too many → the numbered text', () => {
    const options = [{ id: 'fin', label: 'Financeiro' }, { id: 'sup', label: 'Suporte técnico especializado' }];
    expect(messageBody({ kind: 'options', text: 'Escolha:', options }, fb)).toEqual({
      text: 'Escolha:',
      quick_replies: [
        { content_type: 'text', title: 'Financeiro', payload: `${OPTION_PAYLOAD_PREFIX}fin` },
        { content_type: 'text', title: 'Suporte técnico esp…', payload: `${OPTION_PAYLOAD_PREFIX}sup` },
      ],
    });
    expect(quickReplies(options)[1].title).toHaveLength(20);
    const many = Array.from({ length: 14 }, (_, i) => ({ id: `o${i}`, label: `Opção ${i}` }));
    expect(messageBody({ kind: 'options', text: '1. …', options: many }, fb)).toEqual({ text: '1. …' });
  });

  it('templates and texts past the limit fail for good', () => {
    expect(() => messageBody({ kind: 'template', name: 'x', language: 'pt_BR', parameters: [] }, fb)).toThrow(PermanentFailure);
    try {
      messageBody({ kind: 'text', text: 'a'.repeat(1001) }, CHANNEL_CAPABILITIES.instagram);
      expect.unreachable();
    } catch (e) {
      expect((e as PermanentFailure).reasonCode).toBe('text_too_long');
    }
  });

  it("Graph's errors: the window (10/2018278), an unavailable person (551) and a bad token (190) are permanent; throttling is retried", () => {
    const code = (e: unknown) => (e instanceof PermanentFailure ? e.reasonCode : 'retry');
    expect(code(sendError(new GraphError(400, 10, 2018278, 'outside window')))).toBe('window_closed');
    expect(code(sendError(new GraphError(400, 551, null, 'This person isn\'t available right now.')))).toBe('recipient_unavailable');
    expect(code(sendError(new GraphError(400, 100, 2018001, 'No matching user found')))).toBe('recipient_unavailable');
    expect(code(sendError(new GraphError(400, 190, null, 'Invalid OAuth access token')))).toBe('bad_token');
    expect(code(sendError(new GraphError(400, 100, null, 'bad param')))).toBe('graph_100');
    expect(code(sendError(new GraphError(400, 613, null, 'Calls to this api have exceeded the rate limit.')))).toBe('retry');
    expect(code(sendError(new GraphError(503, null, null, 'down')))).toBe('retry');
    expect(code(sendError(new Error('ECONNRESET')))).toBe('retry');
  });
});
