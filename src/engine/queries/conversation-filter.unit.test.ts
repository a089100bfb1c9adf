import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { conversationFilterSql, likeContaining, parseConversationFilter } from './conversation-filter.js';

const ID = '0b6f3c1e-8a55-4c2b-9d1e-2f3a4b5c6d7e';

function refusal(input: unknown): AppError {
  try {
    parseConversationFilter(input);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}
const issueAt = (input: unknown) => Object.fromEntries((refusal(input).extra.issues as { path: string; message: { en: string; pt: string } }[]).map((i) => [i.path, i.message]));

describe('parseConversationFilter', () => {
  it('takes lists repeated or comma-separated, and trims texts', () => {
    expect(parseConversationFilter({ states: 'queued, in_service', channels: ['webchat', 'api'], origin: '  Ana ', from: '2024-05-01', to: '2024-05-01' })).toEqual({
      states: ['queued', 'in_service'], channels: ['webchat', 'api'], origin: 'Ana', from: '2024-05-01', to: '2024-05-01',
    });
    expect(parseConversationFilter({})).toEqual({});
  });

  it('an inverted period is a 400 naming to', () => {
    const err = refusal({ from: '2024-05-02', to: '2024-05-01' });
    expect(err.status).toBe(400);
    expect(err.extra.field).toBe('to');
    expect(issueAt({ from: '2024-05-02', to: '2024-05-01' }).to).toEqual({ en: 'must not be before from', pt: 'não pode ser antes de from' });
  });

  it('a period over 366 days is a 400 naming to; 366 days pass', () => {
    expect(parseConversationFilter({ from: '2024-01-01', to: '2024-12-31' }).to).toBe('2024-12-31'); // 2024 has 366 days
    expect(issueAt({ from: '2024-01-01', to: '2025-01-01' }).to).toEqual({ en: 'the period spans at most 366 days', pt: 'o período pode ter no máximo 366 dias' });
  });

  it('one end of the period without the other names the missing one', () => {
    expect(issueAt({ from: '2024-05-01' }).to.en).toBe('required with from');
    expect(issueAt({ to: '2024-05-01' }).from.pt).toBe('obrigatório quando to é informado');
  });

  it('an unknown state, channel, a bad id, a bad date, an unknown field: each at its field', () => {
    const m = issueAt({ states: ['queued', 'lost'], channels: 'fax', agentIds: 'x', from: '2024-02-30', to: '2024-03-01', sort: 'x' });
    expect(Object.keys(m).sort()).toEqual(['agentIds.0', 'channels.0', 'from', 'sort', 'states.1']);
    expect(m['states.1'].pt).toMatch(/^deve ser um destes: "triage"/);
    expect(refusal({ states: 'lost' }).message).toMatch(/^states\.0: /);
  });

  it('a free text of fewer than 3 characters is refused (it would match nearly everything)', () => {
    expect(Object.keys(issueAt({ text: 'ab' }))).toEqual(['text']);
  });
});

describe('conversationFilterSql', () => {
  it('is TRUE when empty', () => {
    expect(conversationFilterSql({}, { timeZone: 'America/Sao_Paulo' })).toEqual({ sql: 'TRUE', params: [] });
  });

  it('numbers its parameters from firstParam, on the alias', () => {
    const f = conversationFilterSql({ states: ['queued'], serviceIds: [ID], protocol: '2024' }, { alias: 'x', timeZone: 'UTC', firstParam: 3 });
    expect(f.sql).toBe('x.service_id = ANY($3::uuid[]) AND x.state = ANY($4::text[]) AND x.protocol = $5');
    expect(f.params).toEqual([[ID], ['queued'], '2024']);
  });

  it('takes LIKE’s wildcards in a search literally', () => {
    expect(likeContaining('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });
});
