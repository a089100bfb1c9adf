import type { ReactNode } from 'react';
import { Anchor, Stack, Text } from '@mantine/core';
import { Link } from 'react-router-dom';

/**
 * What a list, a chart or a tab shows while it has nothing: why, and what to do about it (a link to
 * the screen that fixes it, or the action itself), never a blank area.
 */
export function EmptyState({ why, todo, link, action, testId }: { why: ReactNode; todo?: ReactNode; link?: { to: string; label: string }; action?: ReactNode; testId?: string }) {
  return (
    <Stack gap={6} align="center" py="lg" px="md" data-testid={testId ?? 'empty-state'}>
      <Text c="dimmed" ta="center" size="sm">{why}</Text>
      {todo && <Text c="dimmed" ta="center" size="sm">{todo}</Text>}
      {link && <Anchor component={Link} to={link.to} size="sm" fw={600}>{link.label}</Anchor>}
      {action}
    </Stack>
  );
}
