import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAMPLE_FLOW_PT_BR } from '../core/bot-flow-sample.js';
import { startFlow, step, type BotAdvance, type BotRunResult } from '../core/bot-runner.js';
import { answerBot, type BotChat } from './customer.js';

const ctx = { serviceId: 'svc', protocol: '20261206000001' };
const ok = (r: BotRunResult): BotAdvance => {
  if (!r.ok) throw r.error;
  return r;
};

/** A simulated customer against the demo's real flow: where the chat ends. */
function converse(randoms: number[]): 'transfer' | 'end' | 'silent' {
  let i = 0;
  const random = () => randoms[i++ % randoms.length];
  const chat: BotChat = {};
  let last = ok(startFlow(SAMPLE_FLOW_PT_BR, ctx));
  for (let turn = 0; turn < 12; turn++) {
    if (last.outcome) return last.outcome.type;
    const said = last.outputs.at(-1)!.text;
    const answer = answerBot(said, chat, random);
    if (answer === null) return 'silent';
    last = ok(step(SAMPLE_FLOW_PT_BR, last.state, { kind: 'text', text: answer }, ctx));
  }
  throw new Error('the customer never got out of the bot');
}

describe('a simulated customer answers the demo bot', () => {
  it('always leaves the bot: to a person, finished by the bot, or silent (the timeout ends it)', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 0.9999, noNaN: true }), { minLength: 1, maxLength: 8 }), (rs) => {
      expect(['transfer', 'end', 'silent']).toContain(converse(rs));
    }));
  });

  it('takes every path the demo needs: a transfer, the bot finishing it, silence', () => {
    expect(converse([0.1])).toBe('transfer'); // Falar com atendente
    expect(converse([0.9, 0.1])).toBe('end'); // opening hours, then Encerrar
    expect(converse([0.99])).toBe('silent');
    expect(converse([0.5, 0.1, 0.5])).toBe('transfer'); // Financeiro → segunda via → a valid CPF
    expect(converse([0.5, 0.1, 0.05, 0.5])).toBe('transfer'); // a wrong CPF first, then the right one
  });
});
