import { channelsOfFamily } from '../../contracts/channel-capabilities.js';
import { ConversationFilterQuery } from '../../contracts/conversation-filter.js';
import { AppError, joinIssues } from '../errors.js';
import { check } from '../issues.js';

// The conversation filter as SQL: one condition on a given alias of `conversations`, with its
// parameters numbered from where the caller's own end, so it composes with a scope, a keyset
// cursor or a report's grouping. Indexes it leans on (0012_lookback_indexes.sql):
// conversations_lookback_idx (the period, carrying the equality filters' columns), the agent's and
// the classification's (id, created_at), the protocol's unique key, and trigram indexes for the two
// ILIKE '%…%' searches (contacts and their identities for `origin`, message bodies for `text`).

export type ConversationFilter = ConversationFilterQuery;

export interface SqlCondition {
  sql: string;
  params: unknown[];
}

/** A filter from a query string or a body; a 400 naming each bad field (`to`, `states.0`…). */
export function parseConversationFilter(input: unknown): ConversationFilter {
  const r = check(ConversationFilterQuery, input);
  if (r.ok) return r.value;
  const issues = r.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new AppError(400, 'validation_error', joinIssues(issues), { field: issues[0].path, issues });
}

/** `%text%` for LIKE, the text's own % _ and \ taken literally. */
export const likeContaining = (text: string) => `%${text.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * The filter as one SQL condition on `alias` (a conversations row), `TRUE` when empty:
 * `const f = conversationFilterSql(filter, { alias: 'c', timeZone, firstParam: 2 })` gives `sql`
 * using $2… and `params` to append after the caller's $1.
 *
 * - period: the conversation's start (created_at) from `from` 00:00 to the end of `to`, in `timeZone`;
 * - family: the channels of that family (capabilities, never a channel's name);
 * - origin: ILIKE '%…%' on the contact's name, e-mail and phone and on its channel identities
 *   (number, handle, display name);
 * - text: ILIKE '%…%' on the bodies of the conversation's customer, agent and bot messages (system
 *   notices left out).
 * The origin search has three plans (`OriginPlan`), each right for a range of how many contacts
 * match (lookback.ts `originPlanFor` picks one from the planner's estimate): `contacts` (a few: a
 * name, a phone) collects the matching contacts once into an array and reads their own conversations
 * of the period (conversations_contact_idx), nothing else; `set` (hundreds to thousands) makes them one
 * hashed set that the period's conversations are checked against, newest first, until a page is full;
 * `each` (a common surname: tens of thousands) checks each conversation of the period, in the list's
 * order, for a matching contact of its own (two primary-key probes), and stops when the page is full,
 * without collecting the matches at all. The text search has two plans (`textPlan`): `matches` (the default), `IN (the matching conversations)`,
 * starts from the messages the trigram index finds — right for a rare phrase, ruinous for a common
 * one (a phrase in 1 of 30 messages: a million of them read for a month's first page, 6.5 s); `each`
 * checks each conversation of the period, in the list's order, for one matching message of its own
 * (messages by conversation), and stops when the page is full — right for a common phrase, and slow
 * for a rare one (every conversation of the period read). lookback.ts `textPlanFor` picks one from
 * the planner's estimate of the phrase's messages.
 */
export type TextPlan = 'matches' | 'each';
export type OriginPlan = 'contacts' | 'set' | 'each';

/** The contacts (by their own fields) and the channel identities an origin search matches, `like` a parameter. */
export const originMatchSql = (like: string) => ({
  contacts: `SELECT fct.id FROM contacts fct WHERE fct.name ILIKE ${like} OR fct.email ILIKE ${like} OR fct.phone ILIKE ${like}`,
  identities: `SELECT fci.contact_id FROM contact_identities fci WHERE fci.external_id ILIKE ${like} OR fci.display_name ILIKE ${like}`,
});

export function conversationFilterSql(
  f: ConversationFilter, opts: { alias?: string; timeZone: string; firstParam?: number; textPlan?: TextPlan; originPlan?: OriginPlan },
): SqlCondition {
  const alias = opts.alias ?? 'c';
  if (!/^[a-z_][a-z0-9_]*$/.test(alias)) throw new Error(`conversationFilterSql: ${alias} is not an alias`);
  const first = opts.firstParam ?? 1;
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${first + params.length - 1}`;
  };
  const conds: string[] = [];
  const c = (col: string) => `${alias}.${col}`;
  if (f.from && f.to) {
    const tz = p(opts.timeZone);
    conds.push(`${c('created_at')} >= (${p(f.from)}::date)::timestamp AT TIME ZONE ${tz}`);
    conds.push(`${c('created_at')} < (${p(f.to)}::date + 1)::timestamp AT TIME ZONE ${tz}`);
  }
  if (f.serviceIds) conds.push(`${c('service_id')} = ANY(${p(f.serviceIds)}::uuid[])`);
  if (f.channels) conds.push(`${c('channel')} = ANY(${p(f.channels)}::text[])`);
  if (f.family) conds.push(`${c('channel')} = ANY(${p(channelsOfFamily(f.family))}::text[])`);
  if (f.states) conds.push(`${c('state')} = ANY(${p(f.states)}::text[])`);
  if (f.agentIds) conds.push(`${c('agent_id')} = ANY(${p(f.agentIds)}::uuid[])`);
  if (f.classificationIds) conds.push(`${c('classification_id')} = ANY(${p(f.classificationIds)}::uuid[])`);
  if (f.protocol) conds.push(`${c('protocol')} = ${p(f.protocol)}`);
  if (f.origin) {
    const like = p(likeContaining(f.origin));
    const m = originMatchSql(like);
    const plan = opts.originPlan ?? 'set';
    if (plan === 'contacts') {
      // ARRAY(…) runs once (an InitPlan), and `= ANY` of it is an index condition on
      // conversations_contact_idx (contact_id, created_at): a probe per matching contact
      conds.push(`${c('contact_id')} = ANY(ARRAY(${m.contacts} UNION ${m.identities}))`);
    } else if (plan === 'each') {
      // a scalar subquery per conversation (never flattened into a join): its contact by primary key,
      // then, only when the contact's own fields do not match, its identities
      conds.push(
        `((SELECT true FROM contacts fct WHERE fct.id = ${c('contact_id')} AND (fct.name ILIKE ${like} OR fct.email ILIKE ${like} OR fct.phone ILIKE ${like})) IS TRUE
          OR (SELECT true FROM contact_identities fci WHERE fci.contact_id = ${c('contact_id')} AND (fci.external_id ILIKE ${like} OR fci.display_name ILIKE ${like}) LIMIT 1) IS TRUE)`,
      );
    } else {
      // `(… IN (…)) IS TRUE` keeps the planner from turning it into a join: the matching contacts (found
      // by the trigram indexes) become one hashed set, and a page is read along the period's index,
      // newest first, until it is full. As a join, a common surname (50,000 contacts) made the planner
      // probe every one of them and sort: 0.1–0.2 s for a month and 1.9 s for a year, against 0.09 s
      // and 0.14 s this way (3 M conversations, 1 M contacts)
      conds.push(`(${c('contact_id')} IN (${m.contacts} UNION ${m.identities})) IS TRUE`);
    }
  }
  if (f.text) {
    const like = p(likeContaining(f.text));
    conds.push(
      opts.textPlan === 'each'
        ? // LIMIT keeps the planner from flattening it into a join: it runs per conversation, as read
          `(SELECT true FROM messages fm WHERE fm.conversation_id = ${c('id')}
              AND fm.body ILIKE ${like} AND fm.author_type IN ('customer', 'agent', 'bot') LIMIT 1) IS TRUE`
        : `${c('id')} IN (SELECT fm.conversation_id FROM messages fm
              WHERE fm.body ILIKE ${like} AND fm.author_type IN ('customer', 'agent', 'bot'))`,
    );
  }
  return { sql: conds.length ? conds.join(' AND ') : 'TRUE', params };
}
