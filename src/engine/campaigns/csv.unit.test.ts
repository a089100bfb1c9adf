import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { campaignPhone, detectDelimiter, parseCampaignCsv } from './csv.js';

describe('a campaign CSV', () => {
  it('detects the separator by the header, drops the BOM, numbers the lines with the header as 1', async () => {
    expect(detectDelimiter('telefone;nome;param1\n1;2;3')).toBe(';');
    expect(detectDelimiter('telefone,nome\n"a;b",c')).toBe(',');
    const rows = await parseCampaignCsv('\uFEFFTelefone;Nome;{{1}}\r\n11988887777;Ana;x\r\n\r\n"(11) 97777-6666";"Silva; Bia";"y ""z"""\r\n', 1);
    expect(rows).toEqual([
      { line: 2, phoneText: '11988887777', name: 'Ana', parameters: ['x'], extraCells: false },
      { line: 4, phoneText: '(11) 97777-6666', name: 'Silva; Bia', parameters: ['y "z"'], extraCells: false },
    ]);
  });
  it('a missing column is a 400 naming csv and the column', async () => {
    const e = await parseCampaignCsv('telefone,param1\n1,2\n', 2).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).status).toBe(400);
    expect((e as AppError).message).toContain('param2');
    expect(((await parseCampaignCsv('nome\nAna\n', 0).catch((x: unknown) => x)) as AppError).status).toBe(400);
  });
  it('phones as the contacts keep them', () => {
    expect(campaignPhone('11 98888-7777')).toBe('+5511988887777');
    expect(campaignPhone('+55 (11) 98888-7777')).toBe('+5511988887777');
    expect(campaignPhone('551188887777')).toBe('+5511988887777');
    expect(campaignPhone('011988887777')).toBe('+5511988887777');
    expect(campaignPhone('+351912345678')).toBe('+351912345678');
    expect(campaignPhone('12345')).toBeNull();
    expect(campaignPhone('abc')).toBeNull();
  });
});
