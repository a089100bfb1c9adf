import { Checkbox, Group, NumberInput, Radio, Select, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { WrapupField } from '../../contracts/wrapup-fields';
import { missingFields, type WrapupValues } from './wrapup-values';

interface Props {
  fields: WrapupField[];
  values: WrapupValues;
  onChange(key: string, value: WrapupValues[string]): void;
  /** after a first try: required fields left blank say so */
  showErrors: boolean;
}

/** The service's wrap-up fields on Concluir, each drawn by its type, required ones marked. */
export function WrapupFieldInputs({ fields, values, onChange, showErrors }: Props) {
  const { t, i18n } = useTranslation('desk');
  const missing = new Set(missingFields(fields, values).map((f) => f.key));
  const error = (f: WrapupField) => (showErrors && missing.has(f.key) ? t('common.required') : undefined);
  return (
    <Stack gap="sm" data-testid="wrapup-fields">
      {fields.map((f) => {
        const common = { label: f.label, withAsterisk: f.required, 'aria-required': f.required, error: error(f), 'data-field': f.key };
        switch (f.type) {
          case 'text':
            return <TextInput key={f.key} {...common} maxLength={1000} value={(values[f.key] as string | undefined) ?? ''} onChange={(e) => onChange(f.key, e.currentTarget.value)} />;
          case 'number':
            return (
              <NumberInput
                key={f.key}
                {...common}
                decimalSeparator={i18n.language === 'pt-BR' ? ',' : '.'}
                value={(values[f.key] as number | undefined) ?? ''}
                onChange={(v) => onChange(f.key, typeof v === 'number' ? v : null)}
              />
            );
          case 'select':
            return (
              <Select
                key={f.key}
                {...common}
                placeholder={t('desk.finish.choose')}
                data={f.options ?? []}
                value={(values[f.key] as string | undefined) ?? null}
                onChange={(v) => onChange(f.key, v)}
                searchable={(f.options ?? []).length > 6}
                clearable={!f.required}
                nothingFoundMessage={t('common.empty')}
                comboboxProps={{ withinPortal: true }}
              />
            );
          case 'boolean':
            if (f.required) {
              const v = values[f.key];
              return (
                <Radio.Group
                  key={f.key}
                  label={f.label}
                  withAsterisk
                  error={error(f)}
                  data-field={f.key}
                  value={typeof v === 'boolean' ? (v ? 'yes' : 'no') : null}
                  onChange={(choice) => onChange(f.key, choice === 'yes')}
                >
                  <Group gap="lg" mt={4}>
                    <Radio value="yes" label={t('common.yes')} />
                    <Radio value="no" label={t('common.no')} />
                  </Group>
                </Radio.Group>
              );
            }
            return <Checkbox key={f.key} label={f.label} data-field={f.key} checked={values[f.key] === true} onChange={(e) => onChange(f.key, e.currentTarget.checked)} />;
        }
      })}
    </Stack>
  );
}
