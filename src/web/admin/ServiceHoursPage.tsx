import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  ActionIcon, Alert, Anchor, Button, Card, Checkbox, Group, Radio, Select, Stack, Switch, Table, Text, TextInput, Textarea, Title, Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { IconArrowLeft, IconCalendarPlus, IconCopy, IconDeviceFloppy, IconInfoCircle, IconPlus, IconTrash } from '@tabler/icons-react';
import type { BusinessHours } from '../../contracts/business-hours';
import type { PrechatField } from '../../contracts/webchat';
import { useSession } from '../auth/session';
import { brazilianNationalHolidays } from '../../shared/holidays';
import type { Body } from '../api';
import { patchService, useService } from './service-api';
import { DateField } from '../ui/DateField';

type Day = keyof BusinessHours['weekly'];
type Interval = { start: string; end: string };
type Weekly = Record<Day, Interval[]>;
type Holiday = BusinessHours['holidays'][number];
type Outside = BusinessHours['outsideHours'];
type PrechatKind = PrechatField['field'];

// Monday first, as a Brazilian week is read
const DAYS: Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const PRECHAT: PrechatKind[] = ['name', 'email', 'phone', 'cpf'];
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
/** A contact center's usual week: weekdays 8h–20h, Saturday 8h–14h. */
const DEFAULT_WEEK: Weekly = {
  mon: [{ start: '08:00', end: '20:00' }], tue: [{ start: '08:00', end: '20:00' }], wed: [{ start: '08:00', end: '20:00' }],
  thu: [{ start: '08:00', end: '20:00' }], fri: [{ start: '08:00', end: '20:00' }], sat: [{ start: '08:00', end: '14:00' }], sun: [],
};

function intervalError(iv: Interval): 'start' | 'end' | 'order' | null {
  if (!HHMM.test(iv.start)) return 'start';
  if (!HHMM.test(iv.end)) return 'end';
  return minutes(iv.start) < minutes(iv.end) ? null : 'order';
}

/**
 * Horário de atendimento of a service (weekly intervals, holidays, the message and the behaviour
 * outside hours) and, for WebChat, the pre-chat form. Saved together with one PATCH.
 */
export function ServiceHoursPage() {
  const { id } = useParams();
  const { t } = useTranslation('admin');
  const { settings } = useSession();
  const qc = useQueryClient();
  const service = useService(id);
  const s = service.data;
  const [loaded, setLoaded] = useState<string | null>(null);
  const [alwaysOpen, setAlwaysOpen] = useState(true);
  const [weekly, setWeekly] = useState<Weekly>(DEFAULT_WEEK);
  const [holidays, setHolidays] = useState<Holiday[]>([]);
  const [closedMessage, setClosedMessage] = useState('');
  const [outside, setOutside] = useState<Outside>('queue');
  const [prechat, setPrechat] = useState<Record<PrechatKind, { ask: boolean; required: boolean }>>({
    name: { ask: false, required: false }, email: { ask: false, required: false }, phone: { ask: false, required: false }, cpf: { ask: false, required: false },
  });
  const [customerCalls, setCustomerCalls] = useState(false);
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(String(thisYear));
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!s || loaded === s.id) return;
    const h = s.businessHours;
    setAlwaysOpen(!h);
    if (h) {
      setWeekly(Object.fromEntries(DAYS.map((d) => [d, [...(h.weekly[d] ?? [])]])) as Weekly);
      setHolidays([...h.holidays].sort((a, b) => a.date.localeCompare(b.date)));
      setClosedMessage(h.closedMessage ?? '');
      setOutside(h.outsideHours);
    }
    const p = Object.fromEntries(PRECHAT.map((f) => {
      const got = (s.prechatForm ?? []).find((x) => x.field === f);
      return [f, { ask: !!got, required: !!got?.required }];
    }));
    setPrechat(p as typeof prechat);
    setCustomerCalls(Boolean(s.customerCalls));
    setLoaded(s.id);
  }, [s, loaded]);

  const invalid = useMemo(() => !alwaysOpen && DAYS.some((d) => weekly[d].some((iv) => intervalError(iv))), [alwaysOpen, weekly]);

  const save = useMutation({
    mutationFn: () => {
      const body: Body<'patchServicesById'> = {
        businessHours: alwaysOpen ? null : {
          weekly,
          holidays: holidays.filter((h) => h.date).map((h) => (h.name?.trim() ? { date: h.date, name: h.name.trim() } : { date: h.date })),
          closedMessage: closedMessage.trim() || null,
          outsideHours: outside,
        },
      };
      if (s?.channel === 'webchat') {
        body.prechatForm = PRECHAT.filter((f) => prechat[f].ask).map((f) => ({ field: f, required: prechat[f].required }));
        body.customerCalls = customerCalls;
      }
      return patchService(id!, body);
    },
    onSuccess: async (saved) => {
      setError(null);
      notifications.show({ color: 'teal', message: t('hours.saved') });
      // the form shows what the server stored (holidays sorted, defaults filled)
      qc.setQueryData([`/api/services/${id}`], saved);
      setLoaded(null);
      await qc.invalidateQueries({ predicate: (q) => typeof q.queryKey[0] === 'string' && q.queryKey[0].startsWith('/api/services') });
    },
    onError: (e: Error) => setError(e.message),
  });

  if (service.isError) return <Alert color="red" role="alert">{service.error.message}</Alert>;
  if (!s) return <Text c="dimmed">{t('common.loading')}</Text>;

  const setDay = (d: Day, list: Interval[]) => setWeekly((w) => ({ ...w, [d]: list }));
  const fillNational = () => {
    const have = new Set(holidays.map((h) => h.date));
    const add = brazilianNationalHolidays(Number(year)).filter((h) => !have.has(h.date));
    setHolidays([...holidays, ...add].sort((a, b) => a.date.localeCompare(b.date)));
    notifications.show({ color: 'teal', message: t('hours.filled', { count: add.length }) });
  };

  return (
    <Stack maw={1000}>
      <div>
        <Anchor component={Link} to="/admin/services" size="sm"><IconArrowLeft size={14} style={{ verticalAlign: -2 }} /> {t('botFlow.back')}</Anchor>
        <Title order={1} size="h2">{t('hours.title', { name: s.name })}</Title>
        <Text c="dimmed" size="sm">{t('hours.description')}</Text>
      </div>
      {error && <Alert color="red" role="alert">{error}</Alert>}

      <Card withBorder>
        <Stack>
          <Switch label={t('hours.alwaysOpen')} description={t('hours.alwaysOpenHelp')} checked={alwaysOpen} onChange={(e) => setAlwaysOpen(e.currentTarget.checked)} />
          {!alwaysOpen && (
            <>
              <Group justify="space-between">
                <div>
                  <Title order={4}>{t('hours.weekly')}</Title>
                  <Text size="xs" c="dimmed">{t('hours.timezone', { tz: settings.timezone })}</Text>
                </div>
                <Button size="xs" variant="default" leftSection={<IconCopy size={14} />} onClick={() => setWeekly((w) => ({ ...w, tue: [...w.mon], wed: [...w.mon], thu: [...w.mon], fri: [...w.mon] }))}>{t('hours.copyWeekdays')}</Button>
              </Group>
              <Table verticalSpacing={6} data-testid="weekly-hours">
                <Table.Tbody>
                  {DAYS.map((d) => (
                    <Table.Tr key={d}>
                      <Table.Td w={150} valign="top" pt={12}><Text size="sm" fw={500}>{t(`hours.days.${d}`)}</Text></Table.Td>
                      <Table.Td w={70} valign="top" pt={12}>
                        <Switch aria-label={t(`hours.days.${d}`)} checked={weekly[d].length > 0} onChange={(e) => setDay(d, e.currentTarget.checked ? [{ start: '08:00', end: '18:00' }] : [])} />
                      </Table.Td>
                      <Table.Td>
                        {weekly[d].length === 0 ? <Text size="sm" c="dimmed" pt={4}>{t('hours.closedDay')}</Text> : (
                          <Stack gap={6}>
                            {weekly[d].map((iv, i) => {
                              const err = intervalError(iv);
                              const set = (patch: Partial<Interval>) => setDay(d, weekly[d].map((x, j) => (j === i ? { ...x, ...patch } : x)));
                              return (
                                <Group key={i} gap={6} wrap="nowrap" align="flex-start">
                                  <Text size="sm" pt={6}>{t('hours.from')}</Text>
                                  <TextInput w={80} aria-label={`${t(`hours.days.${d}`)} ${t('hours.from')}`} placeholder="08:00" maxLength={5} value={iv.start} error={err === 'start'} onChange={(e) => set({ start: e.currentTarget.value })} />
                                  <Text size="sm" pt={6}>{t('hours.to')}</Text>
                                  <TextInput w={80} aria-label={`${t(`hours.days.${d}`)} ${t('hours.to')}`} placeholder="18:00" maxLength={5} value={iv.end} error={err === 'end' || err === 'order'} onChange={(e) => set({ end: e.currentTarget.value })} />
                                  <Tooltip label={t('hours.removeInterval')}><ActionIcon variant="subtle" color="red" mt={4} aria-label={t('hours.removeInterval')} onClick={() => setDay(d, weekly[d].filter((_, j) => j !== i))}><IconTrash size={16} /></ActionIcon></Tooltip>
                                  {i === weekly[d].length - 1 && weekly[d].length < 8 && (
                                    <Tooltip label={t('hours.addInterval')}><ActionIcon variant="subtle" mt={4} aria-label={t('hours.addInterval')} onClick={() => setDay(d, [...weekly[d], { start: iv.end === '24:00' ? '23:00' : iv.end, end: '24:00' }])}><IconPlus size={16} /></ActionIcon></Tooltip>
                                  )}
                                  {err === 'order' && <Text size="xs" c="red" pt={8}>{t('hours.invalidInterval')}</Text>}
                                </Group>
                              );
                            })}
                          </Stack>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          )}
        </Stack>
      </Card>

      {!alwaysOpen && (
        <Card withBorder>
          <Stack>
            <Group justify="space-between" align="flex-end">
              <div>
                <Title order={4}>{t('hours.holidays')}</Title>
                <Text size="xs" c="dimmed">{t('hours.holidaysHelp')}</Text>
              </div>
              <Group gap={6}>
                <Select w={100} aria-label={t('hours.date')} data={[String(thisYear), String(thisYear + 1)]} value={year} onChange={(v) => v && setYear(v)} allowDeselect={false} />
                <Button variant="light" leftSection={<IconCalendarPlus size={16} />} onClick={fillNational}>{t('hours.fillNational', { year })}</Button>
              </Group>
            </Group>
            {holidays.length === 0 ? <Text size="sm" c="dimmed">{t('hours.noHolidays')}</Text> : (
              <Table verticalSpacing={4} data-testid="holidays">
                <Table.Thead><Table.Tr><Table.Th w={180}>{t('hours.date')}</Table.Th><Table.Th>{t('hours.holidayName')}</Table.Th><Table.Th w={50} /></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {holidays.map((h, i) => (
                    <Table.Tr key={i}>
                      <Table.Td><DateField aria-label={t('hours.date')} value={h.date} onChange={(date) => setHolidays(holidays.map((x, j) => (j === i ? { ...x, date } : x)))} /></Table.Td>
                      <Table.Td><TextInput aria-label={t('hours.holidayName')} value={h.name ?? ''} onChange={(e) => setHolidays(holidays.map((x, j) => (j === i ? { ...x, name: e.currentTarget.value } : x)))} /></Table.Td>
                      <Table.Td><ActionIcon variant="subtle" color="red" aria-label={t('hours.removeHoliday')} onClick={() => setHolidays(holidays.filter((_, j) => j !== i))}><IconTrash size={16} /></ActionIcon></Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            <Button variant="default" size="xs" w="fit-content" leftSection={<IconPlus size={14} />} onClick={() => setHolidays([...holidays, { date: `${year}-01-01`, name: '' }])}>{t('hours.addHoliday')}</Button>
          </Stack>
        </Card>
      )}

      {!alwaysOpen && (
        <Card withBorder>
          <Stack>
            <Title order={4}>{t('hours.outsideHours')}</Title>
            <Textarea label={t('hours.closedMessage')} description={t('hours.closedMessageHelp')} placeholder={t('hours.closedMessagePlaceholder')} autosize minRows={2} maxLength={1000} value={closedMessage} onChange={(e) => setClosedMessage(e.currentTarget.value)} />
            <Radio.Group value={outside} onChange={(v) => setOutside(v as Outside)} label={t('hours.outsideChoice')}>
              <Stack gap="xs" mt={6}>
                <Radio value="queue" label={t('hours.outside.queue')} description={t('hours.outside.queueHelp')} />
                <Radio value="leave_message" label={t('hours.outside.leave_message')} description={t('hours.outside.leave_messageHelp')} />
              </Stack>
            </Radio.Group>
          </Stack>
        </Card>
      )}

      {s.channel === 'webchat' && (
        <Card withBorder>
          <Stack>
            <div>
              <Title order={4}>{t('hours.prechat')}</Title>
              <Text size="xs" c="dimmed">{t('hours.prechatHelp')}</Text>
            </div>
            <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>{t('hours.prechatLegal')}</Alert>
            <Table verticalSpacing={6} data-testid="prechat-fields">
              <Table.Tbody>
                {PRECHAT.map((f) => (
                  <Table.Tr key={f}>
                    <Table.Td w={260}><Checkbox label={t(`hours.fieldsLabel.${f}`)} checked={prechat[f].ask} onChange={(e) => { const ask = e.currentTarget.checked; setPrechat((p) => ({ ...p, [f]: { ask, required: ask && p[f].required } })); }} /></Table.Td>
                    <Table.Td w={160}><Switch label={t('hours.required')} disabled={!prechat[f].ask} checked={prechat[f].required} onChange={(e) => { const required = e.currentTarget.checked; setPrechat((p) => ({ ...p, [f]: { ...p[f], required } })); }} /></Table.Td>
                    <Table.Td>{prechat[f].required && <Text size="xs" c="orange.8">{t('hours.requiredWarning')}</Text>}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Switch
              data-testid="customer-calls"
              label={t('hours.customerCalls')}
              description={t('hours.customerCallsHelp')}
              checked={customerCalls}
              onChange={(e) => setCustomerCalls(e.currentTarget.checked)}
            />
          </Stack>
        </Card>
      )}

      <Group>
        <Button leftSection={<IconDeviceFloppy size={16} />} onClick={() => save.mutate()} loading={save.isPending} disabled={invalid}>{t('hours.save')}</Button>
      </Group>
    </Stack>
  );
}
