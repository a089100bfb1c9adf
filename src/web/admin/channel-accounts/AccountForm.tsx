import { useMemo, useState } from 'react';
import { Alert, Button, Divider, Group, Modal, PasswordInput, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ChannelAccount, SavedChannelAccount } from '../../../contracts/admin';
import { CHANNEL_ACCOUNT_FORMS, fieldApplies } from '../../../contracts/channel-account-fields';
import { call, issueField, issuesOf, type Body } from '../../api';
import { bodyOf, emptyValues, formOfKind, kindOf, say, valuesOf, type AccountFormValues } from './account-form-model';

/** The server's issues by input: `name`, `provider`, `config.phoneNumberId`, `credentials.accessToken`. */
function issuesByInput(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issuesOf(error)) {
    const at = issueField(i.path);
    out[at] = out[at] ? `${out[at]}; ${i.message}` : i.message;
  }
  return out;
}

/**
 * Creates or edits one account: the provider's fields from the contract, secrets as password inputs
 * (on edit, empty keeps the stored value). `onSaved` gets the answer and the secrets typed, so the
 * setup panel can show the verify token the admin just chose.
 */
export function AccountForm({ account, onClose, onSaved }: {
  /** 'new', or the account being edited */
  account: ChannelAccount | 'new';
  onClose: () => void;
  onSaved: (saved: SavedChannelAccount, typed: Record<string, string>) => void;
}) {
  const { t, i18n } = useTranslation('admin');
  const editing = account !== 'new';
  const [values, setValues] = useState<AccountFormValues>(() => (editing ? valuesOf(account) : emptyValues()));
  const form = formOfKind(values.kind);
  const set = (patchValues: Partial<AccountFormValues>) => setValues((v) => ({ ...v, ...patchValues }));
  const kinds = useMemo(() => CHANNEL_ACCOUNT_FORMS.map((f) => ({ value: kindOf(f), label: say(f.label, i18n.language) })), [i18n.language]);

  const save = useMutation({
    mutationFn: () => {
      // the body is built from the provider's form definition (bodyOf); the server checks it and names the field
      const body = bodyOf(values, editing);
      return editing
        ? call('patchChannelAccountsById', { params: { id: account.id }, body: body as Body<'patchChannelAccountsById'> })
        : call('postChannelAccounts', { body: body as Body<'postChannelAccounts'> });
    },
    onSuccess: (saved) => onSaved(saved, values.credentials),
  });
  const errors = issuesByInput(save.error);
  // the alert names each input by its label (an issue on a key the form does not draw, by its key)
  const labelOf = (at: string) => {
    const [group, key] = at.split('.');
    const f = group === 'config' ? form?.config.find((x) => x.key === key) : group === 'credentials' ? form?.credentials.find((x) => x.key === key) : undefined;
    if (f) return say(f.label, i18n.language);
    return at === 'name' ? t('channelAccounts.name') : at === 'provider' ? t('channelAccounts.provider') : at;
  };
  const alertText = Object.keys(errors).length ? Object.entries(errors).map(([at, m]) => `${labelOf(at)}: ${m}`).join('; ') : save.error?.message;

  return (
    <Modal opened onClose={onClose} title={editing ? t('channelAccounts.editTitle') : t('channelAccounts.createTitle')} size="lg">
      <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <Stack>
          {save.isError && <Alert color="red" role="alert">{alertText}</Alert>}
          {editing && !form ? (
            <Text size="sm" c="dimmed">{t(`channels.${account.channel}`, { ns: 'common' })} · {account.provider ?? t('channelAccounts.noProvider')}</Text>
          ) : (
            <Select
              label={t('channelAccounts.providerLabel')}
              description={t('channelAccounts.providerHelp')}
              data={kinds}
              value={values.kind}
              onChange={(v) => v && set({ kind: v, config: {}, credentials: {} })}
              allowDeselect={false}
              disabled={editing}
              error={errors.provider ?? errors.channel}
              required
            />
          )}
          <TextInput
            label={t('channelAccounts.name')}
            description={t('channelAccounts.nameHelp')}
            value={values.name}
            onChange={(e) => set({ name: e.currentTarget.value })}
            error={errors.name}
            required
          />
          {form && form.config.length > 0 && <Divider label={t('channelAccounts.configSection')} labelPosition="left" />}
          {/* fields of another setting (the IMAP ones for an account received by SMTP) are not shown */}
          {form?.config.filter((f) => fieldApplies(form, f, values.config)).map((f) => f.format === 'boolean' || f.format === 'choice' ? (
            // stored as text (the API's form: true/false, or one of the choices); picked from a list, empty for the default
            <Select
              key={f.key}
              label={say(f.label, i18n.language)}
              description={say(f.hint, i18n.language)}
              data={f.format === 'boolean'
                ? [{ value: 'true', label: t('common.yes', { ns: 'common' }) }, { value: 'false', label: t('common.no', { ns: 'common' }) }]
                : (f.choices ?? []).map((c) => ({ value: c, label: c.toUpperCase() }))}
              placeholder={f.defaultValue === undefined ? undefined : f.format === 'boolean' ? t(f.defaultValue === 'true' ? 'common.yes' : 'common.no', { ns: 'common' }) : f.defaultValue.toUpperCase()}
              clearable={!f.required}
              value={values.config[f.key] || null}
              onChange={(v) => setValues((s) => ({ ...s, config: { ...s.config, [f.key]: v ?? '' } }))}
              error={errors[`config.${f.key}`]}
            />
          ) : (
            <TextInput
              key={f.key}
              inputMode={f.format === 'port' ? 'numeric' : undefined}
              label={say(f.label, i18n.language)}
              description={say(f.hint, i18n.language)}
              required={f.required}
              value={values.config[f.key] ?? ''}
              onChange={(e) => { const v = e.currentTarget.value; setValues((s) => ({ ...s, config: { ...s.config, [f.key]: v } })); }}
              error={errors[`config.${f.key}`]}
              autoComplete="off"
            />
          ))}
          {form && form.credentials.length > 0 && <Divider label={t('channelAccounts.secretsSection')} labelPosition="left" />}
          {form?.credentials.filter((f) => fieldApplies(form, f, values.config)).map((f) => {
            const isSet = editing && account.credentialsSet.includes(f.key);
            const hint = say(f.hint, i18n.language);
            return (
              <PasswordInput
                key={f.key}
                label={say(f.label, i18n.language)}
                description={isSet ? `${t(f.generated ? 'channelAccounts.secretGenerated' : 'channelAccounts.secretKeep')} ${hint}` : hint}
                required={f.required && !isSet}
                value={values.credentials[f.key] ?? ''}
                onChange={(e) => { const v = e.currentTarget.value; setValues((s) => ({ ...s, credentials: { ...s.credentials, [f.key]: v } })); }}
                error={errors[`credentials.${f.key}`]}
                autoComplete="new-password"
                visibilityToggleButtonProps={{ 'aria-label': t('common.toggleVisibility', { ns: 'common' }) }}
              />
            );
          })}
          <Switch label={t('channelAccounts.activeLabel')} checked={values.active} onChange={(e) => set({ active: e.currentTarget.checked })} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel', { ns: 'common' })}</Button>
            <Button type="submit" loading={save.isPending}>{t('common.save', { ns: 'common' })}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
