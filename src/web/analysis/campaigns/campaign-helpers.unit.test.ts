import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../contracts/campaigns';
import type { Template } from '../../../contracts/admin';
import { campaignService, dataLines, isStale, exampleCsv, looksLikeCsv, processed, progressOf, sendableTemplates } from './campaign-form';
import { instantOfWallTime, wallTimeOf } from './wall-time';

describe('the example CSV', () => {
  it('has the header the server reads and the template’s examples as parameters', () => {
    const csv = exampleCsv(2, ['Ana', '15/12']);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('telefone;nome;param1;param2');
    expect(lines).toHaveLength(3);
    expect(lines[1]!.split(';')).toEqual(['+5511987654321', 'Maria Souza', 'Ana', '15/12']);
  });
  it('fills a parameter without example, quotes a value holding the separator, and has no param column for none', () => {
    expect(exampleCsv(2, ['R$ 10;00']).split('\r\n')[1]).toBe('+5511987654321;Maria Souza;"R$ 10;00";exemplo 2');
    expect(exampleCsv(0, []).split('\r\n')[0]).toBe('telefone;nome');
  });
  it('counts the data lines, skipping the header and blank lines', () => {
    expect(dataLines('telefone;nome\r\n1;a\r\n\r\n2;b\n')).toBe(2);
    expect(dataLines('telefone')).toBe(0);
    expect(dataLines('')).toBe(0);
  });
  it('takes .csv/.txt or a text type, not a spreadsheet', () => {
    expect(looksLikeCsv({ name: 'lista.CSV', type: '' })).toBe(true);
    expect(looksLikeCsv({ name: 'lista', type: 'text/csv' })).toBe(true);
    expect(looksLikeCsv({ name: 'lista.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })).toBe(false);
  });
});

describe('progress', () => {
  const counts = { total: 10, queued: 4, sent: 2, delivered: 1, read: 1, failed: 1, answered: 0, skipped: 1 };
  it('is every row no longer queued, over the total', () => {
    expect(processed(counts)).toBe(6);
    expect(progressOf(counts)).toBeCloseTo(0.6);
    expect(progressOf({ ...counts, total: 0, queued: 0 })).toBe(0);
  });
});

describe('wall time in the contact center’s zone', () => {
  it('reads 09:30 in São Paulo as 12:30 UTC, and back', () => {
    expect(instantOfWallTime('2026-12-07T09:30', 'America/Sao_Paulo')).toBe('2026-12-07T12:30:00.000Z');
    expect(wallTimeOf(Date.parse('2026-12-07T12:30:00.000Z'), 'America/Sao_Paulo')).toBe('2026-12-07T09:30');
  });
  it('follows a zone with summer time on both sides of the change', () => {
    expect(instantOfWallTime('2026-07-01T09:00', 'Europe/Lisbon')).toBe('2026-07-01T08:00:00.000Z');
    expect(instantOfWallTime('2026-01-15T09:00', 'Europe/Lisbon')).toBe('2026-01-15T09:00:00.000Z');
  });
  it('refuses what is not a datetime-local value', () => {
    expect(instantOfWallTime('07/12/2026 09:30', 'America/Sao_Paulo')).toBeNull();
    expect(instantOfWallTime('', 'America/Sao_Paulo')).toBeNull();
  });
});

describe('what Nova campanha offers', () => {
  const tpl = (over: Partial<Template>): Template => ({
    id: 't', categoryId: 'c', name: 'T', channel: 'whatsapp', language: 'pt_BR', body: 'Olá {{1}}', providerTemplate: 'ola', channelAccountId: 'acc-1',
    providerCategory: 'UTILITY', header: null, footer: null, buttons: [], examples: ['Ana'], providerId: '1', status: 'APPROVED', statusReason: null, quality: null,
    statusAt: null, active: true, createdAt: '2026-12-06T00:00:00.000Z', updatedAt: '2026-12-06T00:00:00.000Z', ...over,
  });
  it('only the approved, active templates submitted through the service’s account', () => {
    const all = [tpl({ id: 'ok' }), tpl({ id: 'pending', status: 'PENDING' }), tpl({ id: 'draft', status: null }), tpl({ id: 'other', channelAccountId: 'acc-2' }), tpl({ id: 'off', active: false })];
    expect(sendableTemplates(all, 'acc-1').map((x) => x.id)).toEqual(['ok']);
    expect(sendableTemplates(all, null)).toEqual([]);
  });
  it('only active WhatsApp services with an account', () => {
    expect(campaignService({ channel: 'whatsapp', active: true, channelAccountId: 'a' })).toBe(true);
    expect(campaignService({ channel: 'whatsapp', active: true, channelAccountId: null })).toBe(false);
    expect(campaignService({ channel: 'telegram', active: true, channelAccountId: 'a' })).toBe(false);
    expect(campaignService({ channel: 'whatsapp', active: false, channelAccountId: 'a' })).toBe(false);
  });
});

describe('a campaign view into the cache', () => {
  const view = (status: Campaign['status'], queued: number): Campaign => ({
    id: 'c1', name: 'x', templateId: 't', templateName: 't', serviceId: 's', serviceName: 's', channelAccountId: 'a', window: { from: '08:00', to: '20:00' },
    startAt: '2026-12-06T12:00:00Z', status, ratePerSecond: 0, createdBy: 'u', createdByName: 'u', createdAt: '2026-12-06T12:00:00Z', finishedAt: null,
    counts: { total: 6, queued, sent: 0, delivered: 0, read: 6 - queued - 4, failed: 0, answered: 0, skipped: 4 },
  });

  it('drops a view older than the one held (Iniciar’s answer read after the event that finished it); takes newer ones, and a pause or resume that settles nothing', () => {
    expect(isStale(view('running', 2), view('finished', 0))).toBe(true);
    expect(isStale(view('running', 1), view('running', 2))).toBe(false);
    expect(isStale(view('paused', 1), view('running', 1))).toBe(false);
    expect(isStale(view('running', 1), view('paused', 1))).toBe(false);
    expect(isStale(view('running', 2), view('running', 1))).toBe(true);
    expect(isStale(view('paused', 0), view('cancelled', 0))).toBe(true);
    expect(isStale(view('running', 2), undefined)).toBe(false);
  });
});
