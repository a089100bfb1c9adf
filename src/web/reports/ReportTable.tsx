import { Table, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ReportResult, ReportRow } from '../../contracts/reports';
import { formatCell, isNumeric } from './format';

/**
 * A report's table, from the columns the server describes: header tooltips with each definition,
 * numbers right-aligned, the totals row bold at the foot, the header sticky while scrolling.
 */
export function ReportTable({ result, cellText }: { result: ReportResult; cellText(key: string, value: string): string }) {
  const { t, i18n } = useTranslation('reports');
  const lang = i18n.language;
  const cell = (row: ReportRow, key: string, kind: ReportResult['columns'][number]['kind']) => {
    const v = row[key];
    return kind === 'text' && typeof v === 'string' ? cellText(key, v) : formatCell(v, kind, lang, result.interval);
  };
  return (
    // a scrolling region reachable by keyboard (axe: scrollable-region-focusable)
    <Table.ScrollContainer minWidth={Math.max(480, result.columns.length * 120)} mah={560} type="native" tabIndex={0} role="region" aria-label={result.title}>
      <Table stickyHeader striped highlightOnHover fz="sm" verticalSpacing={6} data-testid="report-table" aria-label={result.title}>
        <Table.Thead>
          <Table.Tr>
            {result.columns.map((c) => (
              <Table.Th key={c.key} ta={isNumeric(c.kind) ? 'right' : 'left'} data-key={c.key} style={{ whiteSpace: 'nowrap' }}>
                {c.definition ? (
                  <Tooltip label={c.definition} withArrow multiline maw={320}>
                    <Text span size="sm" fw={700} style={{ cursor: 'help', borderBottom: '1px dotted var(--mantine-color-gray-5)' }}>{c.label}</Text>
                  </Tooltip>
                ) : c.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {result.rows.map((row, i) => (
            <Table.Tr key={i} data-testid="report-row">
              {result.columns.map((c) => (
                <Table.Td key={c.key} ta={isNumeric(c.kind) ? 'right' : 'left'} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{cell(row, c.key, c.kind)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
        {result.total && (
          <Table.Tfoot>
            <Table.Tr data-testid="report-total" fw={700} style={{ borderTop: '2px solid var(--mantine-color-gray-4)' }}>
              {result.columns.map((c, i) => {
                const v = result.total![c.key];
                const text = (v === null || v === undefined) && i === 0 ? t('reports.result.total') : v === null || v === undefined ? '' : cell(result.total!, c.key, c.kind);
                return <Table.Td key={c.key} ta={isNumeric(c.kind) ? 'right' : 'left'} fw={700} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{text}</Table.Td>;
              })}
            </Table.Tr>
          </Table.Tfoot>
        )}
      </Table>
    </Table.ScrollContainer>
  );
}
