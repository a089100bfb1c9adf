import { describe, expect, it } from 'vitest';
import { chartOption } from './chart-option';
import { formatCell, formatLocalTime } from './format';
import { addDays, presetPeriod } from './period';

describe('Relatórios cells', () => {
  it('writes numbers as Brazilians do, durations HH:MM:SS, shares with %, local times dd/MM/yyyy HH:mm', () => {
    expect(formatCell(1234.5, 'number', 'pt-BR', null)).toBe('1.234,5');
    expect(formatCell(1234567, 'count', 'pt-BR', null)).toBe('1.234.567');
    expect(formatCell(66.666, 'pct', 'pt-BR', null)).toBe('66,67%');
    expect(formatCell(90061, 'duration', 'pt-BR', null)).toBe('25:01:01');
    expect(formatCell(null, 'duration', 'pt-BR', null)).toBe('—');
    expect(formatCell('2026-03-10 14:30:00', 'time', 'pt-BR', 'hour')).toBe('10/03/2026 14:30');
    expect(formatCell('2026-03-10 00:00:00', 'time', 'pt-BR', 'day')).toBe('10/03/2026');
    expect(formatCell('2026-03-01 00:00:00', 'time', 'pt-BR', 'month')).toBe('03/2026');
    expect(formatCell(1234.5, 'number', 'en', null)).toBe('1,234.5');
    expect(formatLocalTime('2026-03-10 14:30:00', 'en', '15m', true)).toBe('03/10 14:30');
  });

  it('turns the presets into days, across months and years', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(presetPeriod('today', '2026-03-10')).toEqual({ from: '2026-03-10', to: '2026-03-10' });
    expect(presetPeriod('yesterday', '2026-01-01')).toEqual({ from: '2025-12-31', to: '2025-12-31' });
    expect(presetPeriod('last7', '2026-03-03')).toEqual({ from: '2026-02-25', to: '2026-03-03' });
    expect(presetPeriod('thisMonth', '2026-03-10')).toEqual({ from: '2026-03-01', to: '2026-03-10' });
    expect(presetPeriod('lastMonth', '2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
  });
});

describe('Relatórios chart', () => {
  it('adds up the rows that share a category (a row per interval × service × channel)', () => {
    const result = {
      report: 'intervals', title: 'x', from: '2026-03-10', to: '2026-03-10', timezone: 'America/Sao_Paulo', interval: 'hour', generatedAt: '',
      columns: [
        { key: 'interval', label: 'Intervalo', kind: 'time' }, { key: 'service', label: 'Serviço', kind: 'text' },
        { key: 'offered', label: 'Ofertados', kind: 'count' }, { key: 'answered', label: 'Atendidos', kind: 'count' },
      ],
      rows: [
        { interval: '2026-03-10 09:00:00', service: 'A', offered: 2, answered: 1 },
        { interval: '2026-03-10 09:00:00', service: 'B', offered: 3, answered: 3 },
        { interval: '2026-03-10 10:00:00', service: 'A', offered: 1, answered: 0 },
      ],
      total: null, chart: { type: 'line', category: 'interval', series: ['offered', 'answered'] }, notes: [],
    } as const;
    const option = chartOption(result as never, 'pt-BR', (_k, v) => v) as { series: { name: string; data: number[] }[] };
    expect(option.series.map((s) => [s.name, s.data])).toEqual([['Ofertados', [5, 1]], ['Atendidos', [4, 0]]]);
  });

  it('draws the server’s own points when it sends them (every interval, the empty ones as zeros)', () => {
    const result = {
      report: 'intervals', title: 'x', from: '2026-03-10', to: '2026-03-10', timezone: 'America/Sao_Paulo', interval: 'hour', generatedAt: '',
      columns: [
        { key: 'interval', label: 'Intervalo', kind: 'time' }, { key: 'service', label: 'Serviço', kind: 'text' },
        { key: 'offered', label: 'Ofertados', kind: 'count' },
      ],
      rows: [{ interval: '2026-03-10 09:00:00', service: 'A', offered: 2 }, { interval: '2026-03-10 11:00:00', service: 'A', offered: 1 }],
      rowCount: 2, total: null, notes: [],
      chart: {
        type: 'line', category: 'interval', series: ['offered'],
        points: [{ interval: '2026-03-10 09:00:00', offered: 2 }, { interval: '2026-03-10 10:00:00', offered: 0 }, { interval: '2026-03-10 11:00:00', offered: 1 }],
      },
    } as const;
    const option = chartOption(result as never, 'pt-BR', (_k, v) => v) as { xAxis: { data: string[] }; series: { data: number[] }[] };
    expect(option.xAxis.data).toHaveLength(3);
    expect(option.series[0].data).toEqual([2, 0, 1]);
  });
});
