import { useRef, useState } from 'react';
import { Button, Group, Progress, Text } from '@mantine/core';
import { IconFileSpreadsheet, IconFileTypeCsv, IconFileTypePdf, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EXPORT_TOTAL_HEADER, type LookbackFormat } from '../../contracts/lookback';
import { ApiError } from '../api';
import i18n from '../i18n';

/** A PDF only where the endpoint writes one (Relatórios). */
type Format = LookbackFormat | 'pdf';

interface Running {
  format: Format;
  total: number;
  rows: number;
  bytes: number;
}

/** The file name the server gave (Content-Disposition), else a plain one. */
const fileNameOf = (res: Response, format: Format) => /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `atendimentos.${format}`;

/**
 * Exportar CSV / XLSX: a list's query as a download (its endpoint with `format=csv|xlsx`), read as
 * it streams (fetch + ReadableStream) so the screen shows how far it got: rows for a CSV (its lines),
 * megabytes for an XLSX (zipped). Consultas, Histórico, Análise da Operação and Monitorar use it.
 */
export function ExportButtons({ query, path = '/api/lookback/conversations', disabled = false, formats = ['csv', 'xlsx'], labels = {} }: {
  query: URLSearchParams;
  path?: string;
  disabled?: boolean;
  /** the downloads offered (Gráficos offers only its CSV, Relatórios also a PDF) and, optionally, their buttons' words */
  formats?: Format[];
  labels?: Partial<Record<Format, string>>;
}) {
  const { t, i18n: { language } } = useTranslation('lookback');
  const [running, setRunning] = useState<Running | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const abort = useRef<AbortController | null>(null);

  const run = async (format: Format) => {
    const q = new URLSearchParams(query);
    q.set('format', format);
    const ctrl = new AbortController();
    abort.current = ctrl;
    setMessage(null);
    try {
      const res = await fetch(`${path}?${q}`, { credentials: 'same-origin', signal: ctrl.signal, headers: { 'accept-language': i18n.language || 'pt-BR' } });
      if (!res.ok || !res.body) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new ApiError(res.status, 'export', body?.error?.message ?? res.statusText);
      }
      const total = Number(res.headers.get(EXPORT_TOTAL_HEADER) ?? 0);
      const state: Running = { format, total, rows: 0, bytes: 0 };
      setRunning({ ...state });
      const reader = res.body.getReader();
      const chunks: Uint8Array[] = [];
      let lastPaint = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        state.bytes += value.length;
        // a CSV's rows are its lines, the header's among them (a line break inside a field counts
        // once more: this is the progress, the end reports the server's count)
        if (format === 'csv') for (let i = 0; i < value.length; i++) if (value[i] === 10) state.rows++;
        if (performance.now() - lastPaint > 150) {
          lastPaint = performance.now();
          setRunning({ ...state });
        }
      }
      const url = URL.createObjectURL(new Blob(chunks as BlobPart[], { type: res.headers.get('content-type') ?? undefined }));
      const a = document.createElement('a');
      a.href = url;
      a.download = fileNameOf(res, format);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setMessage({ ok: true, text: t('lookback.export.done', { rows: total.toLocaleString(language) }) });
    } catch (err) {
      if (!ctrl.signal.aborted) setMessage({ ok: false, text: t('lookback.export.failed', { error: err instanceof Error ? err.message : String(err) }) });
    } finally {
      abort.current = null;
      setRunning(null);
    }
  };

  const fmt = (n: number) => n.toLocaleString(language);
  return (
    <Group gap="xs" wrap="wrap" data-testid="lookback-export">
      {running ? (
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 260 }} data-testid="export-progress">
          <div style={{ flex: 1 }}>
            <Text size="xs">
              {running.format === 'csv'
                ? t('lookback.export.progress', { done: fmt(Math.max(0, running.rows - 1)), total: fmt(running.total) })
                : t('lookback.export.progressBytes', { mb: (running.bytes / 1e6).toLocaleString(language, { maximumFractionDigits: 1 }), total: fmt(running.total) })}
            </Text>
            <Progress
              size="sm"
              animated
              value={running.format === 'csv' && running.total ? Math.min(100, (Math.max(0, running.rows - 1) / running.total) * 100) : 100}
              striped={running.format !== 'csv'}
            />
          </div>
          <Button size="compact-xs" variant="subtle" color="gray" leftSection={<IconX size={14} />} onClick={() => abort.current?.abort()}>{t('lookback.export.cancel')}</Button>
        </Group>
      ) : (
        <>
          {message && <Text size="xs" c={message.ok ? 'teal' : 'red'} data-testid="export-message">{message.text}</Text>}
          {formats.includes('csv') && <Button size="xs" variant="light" leftSection={<IconFileTypeCsv size={16} />} disabled={disabled} onClick={() => void run('csv')} data-testid="export-csv">{labels.csv ?? t('lookback.export.csv')}</Button>}
          {formats.includes('xlsx') && <Button size="xs" variant="light" leftSection={<IconFileSpreadsheet size={16} />} disabled={disabled} onClick={() => void run('xlsx')} data-testid="export-xlsx">{labels.xlsx ?? t('lookback.export.xlsx')}</Button>}
          {formats.includes('pdf') && <Button size="xs" variant="light" leftSection={<IconFileTypePdf size={16} />} disabled={disabled} onClick={() => void run('pdf')} data-testid="export-pdf">{labels.pdf ?? t('lookback.export.pdf')}</Button>}
        </>
      )}
    </Group>
  );
}
