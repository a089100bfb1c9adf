import { randomInt } from 'node:crypto';
import { answerBot, numberFor, optionFor, type BotChat, type DrawnOption } from './customer.js';
import { CUSTOMER_REPLIES, isAgentLine } from './lines.js';
import type { Tally } from './session.js';

// What every simulated customer does, whatever their channel: answers the bot's menus (with the
// channel's own widget when it drew one, by number when it wrote the menu as numbered lines, else in
// words) and answers the agents' lines now and then. A channel's driver says how a person speaks.

export interface DemoEnv {
  tally: Tally;
  /** the real milliseconds of `ms` of simulated time */
  t(ms: number): number;
  /** runs `fn` after `simMs` of simulated time unless the demo stopped; a throw goes to the tally as `what` */
  later(simMs: number, what: string, fn: () => Promise<unknown>): void;
  log(msg: string): void;
}

/** One simulated customer on one channel. */
export interface Person {
  chat: BotChat;
  /** answers given to agents so far */
  replies: number;
  say(text: string): Promise<unknown>;
  /** presses a menu option with the channel's widget (button, list row, quick reply, inline key) */
  pick?(option: DrawnOption): Promise<unknown>;
}

export const pick = <T>(xs: readonly T[]): T => xs[randomInt(xs.length)];
export const chance = (p: number) => Math.random() < p;

/** The customer reads a message Mirante sent them (its text, and the options the channel drew) and maybe answers. */
export function hear(env: DemoEnv, p: Person, channel: string, text: string, options: DrawnOption[] | null = null): void {
  if (isAgentLine(text)) {
    // most customers answer; some go silent (the inactivity timer ends those)
    if (p.replies < 3 && chance(0.75)) {
      p.replies++;
      env.later(15_000 + randomInt(45_000), `${channel}: customer answers the agent`, () => p.say(pick(CUSTOMER_REPLIES)));
    }
    return;
  }
  const answer = answerBot(text, p.chat);
  if (answer === null) return;
  env.later(3000 + randomInt(9000), `${channel}: customer answers the bot`, () => {
    const option = options && p.pick ? optionFor(answer, options) : null;
    if (option) return p.pick!(option);
    return p.say(numberFor(answer, text) ?? answer);
  });
}

/** Counts a provider webhook Mirante did not take (2xx) as refused. */
export function delivered(env: DemoEnv, what: string, r: { status: number; text: string }): void {
  if (r.status >= 300) env.tally.refuse(what, r.status, r.text);
}
