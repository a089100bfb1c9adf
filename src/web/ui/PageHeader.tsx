import type { ReactNode } from 'react';
import { Group, Text, Title } from '@mantine/core';

/**
 * The top of every screen: its name as the page's one level-one heading, a line saying what it is
 * for, and the screen's actions on the right (they stay on the right when the line wraps).
 */
export function PageHeader({ title, description, actions, badge }: { title: ReactNode; description?: ReactNode; actions?: ReactNode; badge?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end" gap="sm" wrap="wrap" data-testid="page-header">
      <div style={{ flex: '1 1 320px', minWidth: 0 }}>
        <Group gap="sm" wrap="wrap">
          <Title order={1} size="h2">{title}</Title>
          {badge}
        </Group>
        {description && <Text c="dimmed" size="sm">{description}</Text>}
      </div>
      {actions && <Group gap="xs" ml="auto" wrap="wrap" justify="flex-end">{actions}</Group>}
    </Group>
  );
}
