import { describe, expect, it } from 'vitest';
import { brazilianNationalHolidays } from '../../src/shared/holidays.js';
import { SAMPLE_FLOW_PT_BR } from '../../src/core/bot-flow-sample.js';
import { localDay } from '../../src/engine/protocol.js';
import { appForFile, createService, unique, type Client, type TestApp } from '../support/test-app.js';
import { newVisitor, WidgetClient } from '../support/widget-client.js';

// Business hours per service (closed: queue anyway, or take a message) and the pre-chat form.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const ALWAYS = { start: '00:00', end: '24:00' };
const OPEN_ALL_WEEK = { sun: [ALWAYS], mon: [ALWAYS], tue: [ALWAYS], wed: [ALWAYS], thu: [ALWAYS], fri: [ALWAYS], sat: [ALWAYS] };

async function chat(serviceKey: string, hello: Record<string, unknown> = {}) {
  const id = await newVisitor(t.url, serviceKey);
  return { id, ...(await WidgetClient.connect(t.url, serviceKey, id, hello)) };
}

describe('business hours on a service', () => {
  it('holidays left out are pre-filled with the year’s Brazilian national holidays; given ones are kept; bad hours are a 400', async () => {
    const r = await admin.post('/api/services', { name: unique('Horário'), channel: 'webchat', businessHours: { weekly: { mon: [{ start: '08:00', end: '18:00' }] } } });
    expect(r.status).toBe(201);
    const year = Number(localDay(new Date(), 'America/Sao_Paulo').slice(0, 4));
    expect(r.body.businessHours).toEqual({
      weekly: { mon: [{ start: '08:00', end: '18:00' }] },
      holidays: brazilianNationalHolidays(year),
      closedMessage: null,
      outsideHours: 'queue',
    });
    const own = await admin.patch(`/api/services/${r.body.id}`, { businessHours: { weekly: {}, holidays: [{ date: '2026-12-24', name: 'Véspera de Natal' }], outsideHours: 'leave_message' } });
    expect(own.body.businessHours).toMatchObject({ holidays: [{ date: '2026-12-24', name: 'Véspera de Natal' }], outsideHours: 'leave_message' });
    for (const [hours, field] of [
      [{ weekly: { mon: [{ start: '18:00', end: '08:00' }] } }, 'body.businessHours.weekly.mon.0'],
      [{ weekly: { mon: [{ start: '8h', end: '18:00' }] } }, 'body.businessHours.weekly.mon.0.start'],
      [{ weekly: { funday: [] } }, 'body.businessHours.weekly.funday'],
      [{ weekly: {}, holidays: [{ date: '2026-02-30' }] }, 'body.businessHours.holidays.0.date'],
    ] as const) {
      const bad = await admin.post('/api/services', { name: unique('Horário'), channel: 'webchat', businessHours: hours });
      expect(bad.status, field).toBe(400);
      expect(bad.body.error.message, field).toContain(field);
    }
    expect((await admin.patch(`/api/services/${r.body.id}`, { businessHours: null })).body.businessHours).toBeNull();
  });

  it('open hours: the widget says open; an admin’s change shows at once (the cache follows catalog changes)', async () => {
    const s = await createService(admin, { businessHours: { weekly: OPEN_ALL_WEEK, holidays: [] } });
    const config = (await t.anonymous().get(`/webchat/config/${s.key}`)).body;
    expect(config).toMatchObject({ open: true, closedMessage: null });
    await admin.patch(`/api/services/${s.id}`, { businessHours: { weekly: {}, closedMessage: 'Voltamos amanhã.' } });
    await t.settle();
    expect((await t.anonymous().get(`/webchat/config/${s.key}`)).body).toMatchObject({ open: false, closedMessage: 'Voltamos amanhã.' });
    await admin.del(`/api/services/${s.id}`);
    await t.settle();
    expect((await t.anonymous().get(`/webchat/config/${s.key}`)).status).toBe(404);
  });

  it('closed + leave_message: the message is stored in a conversation finished at once (completed by the system, leftMessage)', async () => {
    const closedMessage = 'Nosso horário é de segunda a sexta, das 8h às 18h.';
    const s = await createService(admin, { botFlow: SAMPLE_FLOW_PT_BR, businessHours: { weekly: {}, holidays: [], closedMessage, outsideHours: 'leave_message' } });
    const { client, welcome } = await chat(s.key);
    expect(welcome.config).toMatchObject({ open: false, closedMessage, outsideHours: 'leave_message' });
    client.send({ type: 'start' });
    expect(await client.next((m) => m.type === 'state')).toEqual({ type: 'state', state: { phase: 'idle' } });
    const cid = client.say('Quero cancelar meu plano, me liguem amanhã.');
    await client.next((m) => m.type === 'ack' && m.clientId === cid);
    const left = await client.state('left_message');
    expect(left.protocol).toMatch(/^\d{14}$/);
    const thanks = await client.next<any>((m) => m.type === 'message' && m.message.text.includes('Recebemos sua mensagem'));
    expect(thanks.message.text).toBe(`${closedMessage} Recebemos sua mensagem e responderemos assim que possível. Seu protocolo é ${left.protocol}.`);

    const { rows } = await t.db.query<any>('SELECT id, state, finished_by, wrapup, outside_hours, first_queued_at, bot_started_at FROM conversations WHERE protocol = $1', [left.protocol]);
    expect(rows[0]).toMatchObject({ state: 'completed', finished_by: 'system', wrapup: { leftMessage: true }, outside_hours: true, first_queued_at: null, bot_started_at: null });
    const detail = (await admin.get(`/api/conversations/${rows[0].id}`)).body;
    expect(detail.messages.map((m: any) => m.authorType)).toEqual(['system', 'customer', 'system']);
    // it shows in the lists of finished conversations, for follow-up
    const done = (await admin.get(`/api/conversations?state=completed&serviceId=${s.id}`)).body.items;
    expect(done.map((c: any) => c.protocol)).toEqual([left.protocol]);
    await client.close();
  });

  it('closed + queue: the conversation still goes to the queue, marked outside hours, with the closed message', async () => {
    const s = await createService(admin, { businessHours: { weekly: {}, holidays: [], outsideHours: 'queue' } });
    const { client, welcome } = await chat(s.key);
    expect(welcome.config).toMatchObject({ open: false, outsideHours: 'queue', closedMessage: 'No momento estamos fora do horário de atendimento.' });
    client.send({ type: 'start' });
    const queued = await client.state('queued');
    expect(queued.position).toBe(1);
    await client.next((m) => m.type === 'message' && m.message.text === 'No momento estamos fora do horário de atendimento.');
    const { rows } = await t.db.query<any>('SELECT state, outside_hours FROM conversations WHERE protocol = $1', [queued.protocol]);
    expect(rows[0]).toEqual({ state: 'queued', outside_hours: true });
    await client.close();
  });
});

describe('the pre-chat form', () => {
  it('asks the fields the service sets; only a required one blocks; answers are validated and kept on the contact', async () => {
    const prechatForm = [{ field: 'name', required: true }, { field: 'cpf', required: false }, { field: 'email', required: false }];
    const s = await createService(admin, { prechatForm });
    expect(s.prechatForm).toEqual(prechatForm);
    const { client, welcome } = await chat(s.key);
    expect(welcome.config.prechat).toEqual(prechatForm);
    expect(welcome.state).toEqual({ phase: 'prechat', fields: prechatForm });

    // the widget speaks Portuguese unless its hello says English
    client.send({ type: 'start', prechat: { cpf: '' } });
    expect(await client.next((m) => m.type === 'error')).toEqual({ type: 'error', code: 'invalid_prechat', message: 'name: obrigatório' });
    const seen = client.messages.length;
    client.send({ type: 'start', prechat: { name: 'Ana Lima', cpf: '111.111.111-11', email: 'ana@' } });
    expect(await client.next((m) => m.type === 'error', 5000, seen)).toMatchObject({ message: 'cpf: número inválido; email: formato inválido' });
    const english = await chat(s.key, { language: 'en' });
    english.client.send({ type: 'start', prechat: { name: 'Ana Lima', cpf: '111.111.111-11' } });
    expect(await english.client.next((m) => m.type === 'error')).toMatchObject({ code: 'invalid_prechat', message: 'cpf: invalid number' });
    await english.client.close();
    client.send({ type: 'start', prechat: { name: '  Ana   Lima ', cpf: '529.982.247-25', email: 'Ana@Exemplo.com.br' } });
    const { protocol } = await client.state('queued');
    const { rows } = await t.db.query<any>(
      'SELECT ct.name, ct.cpf, ct.email FROM conversations c JOIN contacts ct ON ct.id = c.contact_id WHERE c.protocol = $1',
      [protocol],
    );
    expect(rows[0]).toEqual({ name: 'Ana Lima', cpf: '52998224725', email: 'ana@exemplo.com.br' });
    await client.close();
  });

  it('without required fields the customer reaches the queue giving no data (SAC decree)', async () => {
    const s = await createService(admin, { prechatForm: [{ field: 'phone', required: false }] });
    const { client } = await chat(s.key);
    client.send({ type: 'start', prechat: {} });
    expect((await client.state('queued')).position).toBe(1);
    await client.close();
  });

  it('a field asked twice is a 400', async () => {
    const r = await admin.post('/api/services', { name: unique('Pré'), channel: 'webchat', prechatForm: [{ field: 'name', required: true }, { field: 'name', required: false }] });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('body.prechatForm');
  });
});
