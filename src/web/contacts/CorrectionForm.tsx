import { useState } from 'react';
import { Button, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { call, fieldErrors, type Answer } from '../api';

type Contact = Answer<'getContactsById'>;
const FIELDS = ['name', 'email', 'phone', 'cpf'] as const;

/** Corrigir dados (LGPD art. 18, III): the server validates (CPF check digits, DDD, e-mail) and says which field is wrong. */
export function CorrectionForm({ contact, onSaved }: { contact: Contact; onSaved(): void }) {
  const { t } = useTranslation('contacts');
  const [values, setValues] = useState<Record<(typeof FIELDS)[number], string>>(() => ({
    name: contact.name ?? '', email: contact.email ?? '', phone: contact.phone ?? '', cpf: contact.cpf ?? '',
  }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    setErrors({});
    try {
      // only what changed: an untouched field is not rewritten
      const body = Object.fromEntries(FIELDS.filter((k) => values[k].trim() !== (contact[k] ?? '')).map((k) => [k, values[k].trim() === '' ? null : values[k].trim()]));
      await call('patchContactsById', { params: { id: contact.id }, body });
      notifications.show({ color: 'green', message: t('contacts.saved') });
      onSaved();
    } catch (e) {
      setErrors(fieldErrors(e));
      if (!Object.keys(fieldErrors(e)).length) notifications.show({ color: 'red', message: e instanceof Error ? e.message : String(e) });
    } finally {
      setSaving(false);
    }
  };
  return (
    <Paper withBorder p="md" data-testid="correction-form">
      <Stack gap="xs">
        <Title order={3} size="h4">{t('contacts.correct')}</Title>
        <Text size="xs" c="dimmed">{t('contacts.correctHelp')}</Text>
        {FIELDS.map((k) => (
          <TextInput key={k} label={t(`contacts.columns.${k}`)} value={values[k]} error={errors[k]} data-testid={`correct-${k}`}
            onChange={(e) => { const v = e.currentTarget.value; setValues((s) => ({ ...s, [k]: v })); }} />
        ))}
        <Button onClick={() => void save()} loading={saving} data-testid="correct-save">{t('contacts.save')}</Button>
      </Stack>
    </Paper>
  );
}
