import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertConversation, newContact, sp } from '../support/report-traffic.js';
import { appForFile, createService, createTeam, createUser, type Client, type TestApp } from '../support/test-app.js';

// Relatórios as PDF, read back with poppler's pdftotext (Debian's poppler-utils): the title, the
// period and filters, a figure written the Brazilian way, the bold totals row's label, the header
// repeated on every page and "Página n de N". Without pdftotext the tests skip, saying why.

let t: TestApp;
let admin: Client;
appForFile((app) => ({ t, admin } = app));

const D = '2026-03-10';
const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;
if (!hasPdftotext) console.warn('reports-pdf: pdftotext is not installed (apt-get install poppler-utils); the PDF tests skip');

let chat: any;
let sup: Client;

beforeAll(async () => {
  t.clock.set(sp(`${D} 15:30:00`));
  const team = await createTeam(admin);
  chat = await createService(admin, { channel: 'webchat', teamIds: [team.id], name: 'Atendimento Ação' });
  const other = await createService(admin, { channel: 'whatsapp' });
  const s = await createUser(admin, { role: 'supervisor', supervisedTeamIds: [team.id] });
  sup = await t.login(s.email, s.password);
  const contact = await newContact(t.db);
  // 09:00 bucket: 1234 offered (the thousands separator), two answered, one of them within the target
  for (let i = 0; i < 1234; i++) {
    await t.db.query(
      `INSERT INTO conversations (protocol, service_id, channel, contact_id, state, created_at, first_queued_at, queued_at)
       VALUES ('P' || $1 || '-' || $2, $3, 'webchat', $4, 'queued', $5, $5, $5)`,
      [process.pid, i, chat.id, contact, sp(`${D} 09:01:00`)],
    );
  }
  await insertConversation(t.db, contact, { serviceId: chat.id, channel: 'webchat', state: 'completed', firstQueuedAt: sp(`${D} 09:00:00`), firstAssignedAt: sp(`${D} 09:00:30`), finishedAt: sp(`${D} 09:10:30`) });
  await insertConversation(t.db, contact, { serviceId: chat.id, channel: 'webchat', state: 'completed', firstQueuedAt: sp(`${D} 09:02:00`), firstAssignedAt: sp(`${D} 09:04:00`), finishedAt: sp(`${D} 09:12:00`) });
  await insertConversation(t.db, contact, { serviceId: other.id, channel: 'whatsapp', state: 'completed', firstQueuedAt: sp(`${D} 10:00:00`), firstAssignedAt: sp(`${D} 10:00:10`), finishedAt: sp(`${D} 10:05:00`) });
});

async function pdfText(c: Client, path: string, lang: string) {
  const res = await fetch(`${t.url}${path}`, { headers: { cookie: c.cookie, 'accept-language': lang } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const dir = mkdtempSync(join(tmpdir(), 'rep-pdf-'));
  try {
    writeFileSync(join(dir, 'r.pdf'), bytes);
    const out = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    return { res, text: out.stdout, pages: out.stdout.split('\f').filter((p) => p.trim()) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!hasPdftotext)('a report as PDF', () => {
  it('15-minute intervals over a day: title, period, filters, figures pt-BR, header on every page, Página n de N, audited', async () => {
    expect((await admin.put('/api/settings/companyName', { value: 'Lojas Exemplo S.A.' })).status).toBe(200);
    const { res, text, pages } = await pdfText(admin, `/api/reports/intervals?from=${D}&to=${D}&interval=15m&serviceId=${chat.id}&format=pdf`, 'pt-BR');
    expect(text).toContain('Lojas Exemplo S.A.');
    expect(res.headers.get('content-disposition')).toContain(`relatorio-intervals_${D}.pdf`);
    expect(text).toContain('Atendimentos por intervalo');
    expect(text).toContain('Período: 10/03/2026');
    expect(text).toContain('Intervalo: 15m');
    expect(text).toContain('Serviço: Atendimento Ação');
    expect(text).toMatch(/Gerado em: 10\/03\/2026,? 15:30:00 \(America\/Sao_Paulo\)/);
    // 96 rows: more than one page, each with the header and its number
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((p, i) => {
      expect(p, `page ${i + 1}`).toContain('Ofertados');
      expect(p).toContain(`Página ${i + 1} de ${pages.length}`);
    });
    // 09:00: 1.236 offered, 2 answered, NS 1 ÷ 2 = 50,00, TME (30 + 120) ÷ 2 = 00:01:15
    const nine = text.split('\n').find((l) => l.includes('10/03/2026 09:00:00'))!;
    expect(nine).toMatch(/1\.236\s+2\s+0\s+0\s+50,00\s+00:01:15/);
    const total = text.split('\n').find((l) => /^\s*Total\s/.test(l))!;
    expect(total).toMatch(/1\.236\s+2/);
    let audit: any;
    for (let i = 0; i < 60 && !audit; i++) {
      audit = (await t.db.query(`SELECT after FROM audit_log WHERE action = 'export' AND entity = 'report' AND after->>'format' = 'pdf' ORDER BY id DESC LIMIT 1`)).rows[0];
      if (!audit) await new Promise((r) => setTimeout(r, 50));
    }
    expect(audit.after).toMatchObject({ format: 'pdf', rows: 97, complete: true, filters: { report: 'intervals', interval: '15m', serviceId: chat.id } });
  });

  it('in English, Page n of N; a supervisor’s PDF holds only their services', async () => {
    const { text } = await pdfText(sup, `/api/reports/intervals?from=${D}&to=${D}&interval=hour&format=pdf`, 'en');
    expect(text).toContain('Conversations by interval');
    expect(text).toMatch(/Page 1 of \d/);
    expect(text).toContain('Filters: none');
    expect(text).not.toContain('WhatsApp');
    expect(text).toContain('WebChat');
  });

  it('the agents report as PDF', async () => {
    const { text } = await pdfText(admin, `/api/reports/pauses?from=${D}&to=${D}&format=pdf`, 'pt-BR');
    expect(text).toContain('Pausas');
    expect(text).toContain('Página 1 de 1');
    expect(text).toMatch(/Total\s+0\s+00:00:00/);
  });
});
