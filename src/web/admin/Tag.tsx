import { Badge, type BadgeProps } from '@mantine/core';
import type { ReactNode } from 'react';

/** A badge that keeps its whole text in a narrow table column; names keep their case (`name`). */
export function Tag({ name, children, style, ...rest }: BadgeProps & { name?: boolean; children: ReactNode; title?: string }) {
  return (
    <Badge variant="light" tt={name ? 'none' : undefined} style={{ minWidth: 'max-content', ...(style as object) }} {...rest}>
      {children}
    </Badge>
  );
}
