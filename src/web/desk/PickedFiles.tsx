import { Group, Pill } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The files an agent picked for the next message (chat or e-mail composer), each removable. */
export function PickedFiles({ files, onChange, testId }: { files: File[]; onChange(next: File[]): void; testId: string }) {
  const { t } = useTranslation('desk');
  if (!files.length) return null;
  return (
    <Group gap={4} data-testid={testId}>
      {files.map((f, i) => (
        <Pill key={`${f.name}-${i}`} withRemoveButton onRemove={() => onChange(files.filter((_, j) => j !== i))} removeButtonProps={{ 'aria-label': t('desk.composer.removeFile', { name: f.name }) }}>
          {f.name}
        </Pill>
      ))}
    </Group>
  );
}
