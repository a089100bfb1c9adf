import { DateInput, type DateInputProps } from '@mantine/dates';
import { IconCalendar } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import 'dayjs/locale/pt-br';
import { parseTypedDay } from './typed-day';

type Props = Omit<DateInputProps, 'value' | 'onChange' | 'valueFormat' | 'dateParser' | 'minDate' | 'maxDate' | 'locale'> & {
  /** the day as YYYY-MM-DD; '' for none */
  value: string;
  onChange(value: string): void;
  min?: string;
  max?: string;
};

/**
 * A calendar day, shown and typed the way the screen's language writes it (21/11/2026 in pt-BR,
 * 11/21/2026 in English) whatever the browser's own language, with a calendar in that language.
 * The browser's native date input follows the browser instead: an English Chrome showed a
 * Portuguese screen's dates as mm/dd/yyyy.
 */
export function DateField({ value, onChange, min, max, ...rest }: Props) {
  const { i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'pt-BR';
  return (
    <DateInput
      value={value || null}
      onChange={(v) => onChange(v ?? '')}
      valueFormat={lang === 'en' ? 'MM/DD/YYYY' : 'DD/MM/YYYY'}
      dateParser={(input) => parseTypedDay(input, lang)}
      locale={lang === 'en' ? 'en' : 'pt-br'}
      minDate={min}
      maxDate={max}
      leftSection={<IconCalendar size={16} />}
      popoverProps={{ withinPortal: true, zIndex: 400 }}
      {...rest}
    />
  );
}
