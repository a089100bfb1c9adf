import { ActionIcon, Button, Group, Input, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconLink, IconMessageReply, IconPhone, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { TemplateButton } from '../../contracts/admin';
import { TEMPLATE_LIMITS } from '../../shared/template-text';
import { buttonFits } from './template-buttons';

// A WhatsApp template's buttons in the admin form: quick replies, links and a phone number, within
// the provider's limits (TEMPLATE_LIMITS: how many, how many of each kind, the text's length). The
// server checks them again and names the button's field (buttons.0.text) in a refusal.

type Kind = TemplateButton['type'];
const KINDS: Record<Kind, true> = { QUICK_REPLY: true, URL: true, PHONE_NUMBER: true };
const ICON: Record<Kind, typeof IconLink> = { QUICK_REPLY: IconMessageReply, URL: IconLink, PHONE_NUMBER: IconPhone };

/** The form's value as buttons (the form keeps whatever the API gave, or nothing for a new template). */
export const asButtons = (v: unknown): TemplateButton[] => (Array.isArray(v) ? (v as TemplateButton[]) : []);

/** A button of another kind keeps its text; the rest is the new kind's own. */
function retype(b: TemplateButton, kind: Kind): TemplateButton {
  if (kind === 'URL') return { type: 'URL', text: b.text, url: 'url' in b ? b.url : '' };
  if (kind === 'PHONE_NUMBER') return { type: 'PHONE_NUMBER', text: b.text, phoneNumber: 'phoneNumber' in b ? b.phoneNumber : '' };
  return { type: 'QUICK_REPLY', text: b.text };
}

export function TemplateButtonsInput({ value, onChange, error }: { value: unknown; onChange: (v: TemplateButton[]) => void; error?: string }) {
  const { t } = useTranslation('admin');
  const buttons = asButtons(value);
  const set = (i: number, b: TemplateButton) => onChange(buttons.map((x, n) => (n === i ? b : x)));
  const kinds = Object.keys(KINDS) as Kind[];
  return (
    <Input.Wrapper
      label={t('templates.buttons')}
      description={t('templates.buttonsHelp', { max: TEMPLATE_LIMITS.buttons, urls: TEMPLATE_LIMITS.urlButtons, phones: TEMPLATE_LIMITS.phoneButtons })}
      error={error}
      data-testid="template-buttons"
    >
      <Stack gap="xs" mt={6}>
        {buttons.map((b, i) => (
          <Paper key={i} withBorder p="xs" data-testid={`template-button-${i}`}>
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <Select
                label={t('templates.buttonType')}
                w={160}
                data={kinds.map((k) => ({ value: k, label: t(`templates.buttonTypes.${k}`), disabled: k !== b.type && !buttonFits(buttons.filter((_, n) => n !== i), k) }))}
                value={b.type}
                allowDeselect={false}
                onChange={(k) => k && set(i, retype(b, k as Kind))}
              />
              <TextInput
                label={t('templates.buttonText')}
                style={{ flex: 1 }}
                maxLength={TEMPLATE_LIMITS.buttonText}
                value={b.text}
                onChange={(e) => set(i, { ...b, text: e.currentTarget.value })}
                rightSection={<Text size="xs" c="dimmed">{TEMPLATE_LIMITS.buttonText - b.text.length}</Text>}
              />
              {b.type === 'URL' && (
                <TextInput label={t('templates.buttonUrl')} style={{ flex: 1 }} maxLength={TEMPLATE_LIMITS.url} value={b.url} onChange={(e) => set(i, { ...b, url: e.currentTarget.value })} />
              )}
              {b.type === 'PHONE_NUMBER' && (
                <TextInput label={t('templates.buttonPhone')} style={{ flex: 1 }} maxLength={TEMPLATE_LIMITS.phone} value={b.phoneNumber} onChange={(e) => set(i, { ...b, phoneNumber: e.currentTarget.value })} />
              )}
              <ActionIcon variant="subtle" color="red" size="lg" aria-label={t('templates.removeButton', { n: i + 1 })} onClick={() => onChange(buttons.filter((_, n) => n !== i))}>
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          </Paper>
        ))}
        <Group gap="xs">
          {kinds.map((k) => {
            const Icon = ICON[k];
            return (
              <Button key={k} size="xs" variant="light" leftSection={<IconPlus size={14} />} rightSection={<Icon size={14} />} disabled={!buttonFits(buttons, k)}
                onClick={() => onChange([...buttons, retype({ type: 'QUICK_REPLY', text: '' }, k)])}>
                {`${t('templates.addButton')}: ${t(`templates.buttonTypes.${k}`)}`}
              </Button>
            );
          })}
        </Group>
      </Stack>
    </Input.Wrapper>
  );
}

/** The buttons as the customer's WhatsApp draws them, under the bubble. */
export function TemplateButtonsPreview({ buttons }: { buttons: readonly TemplateButton[] }) {
  if (!buttons.length) return null;
  return (
    <Stack gap={2} maw={320} data-testid="template-preview-buttons">
      {buttons.map((b, i) => {
        const Icon = ICON[b.type];
        return (
          <Paper key={i} p={6} radius="md" style={{ background: '#fff', textAlign: 'center' }}>
            <Group gap={4} justify="center">
              <Icon size={14} color="#00a5f4" />
              <Text size="sm" c="#00a5f4">{b.text || '…'}</Text>
            </Group>
          </Paper>
        );
      })}
    </Stack>
  );
}
