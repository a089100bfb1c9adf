import type { ReactNode } from 'react';
import { ActionIcon, Button, Tooltip } from '@mantine/core';
import { Link } from 'react-router-dom';

export interface RowActionProps {
  /** the visible label (wide screens) and the tooltip */
  label: string;
  /** the accessible name when it says more than the label ("Editar: Maria") */
  ariaLabel?: string;
  icon: ReactNode;
  color?: string;
  onClick?: () => void;
  /** a link to another screen instead of a button */
  to?: string;
  loading?: boolean;
  testId?: string;
}

/**
 * A table row's action, the same on every list: the icon with its label as text on wide screens
 * (Mantine's xl, 1408 px and up), the icon with a tooltip below; an accessible name always.
 */
export function RowAction({ label, ariaLabel, icon, color, onClick, to, loading, testId }: RowActionProps) {
  const name = ariaLabel ?? label;
  const common = { color, 'aria-label': name, loading, 'data-testid': testId } as const;
  return (
    <>
      <Tooltip label={label} withArrow>
        {to ? (
          <ActionIcon variant="subtle" hiddenFrom="xl" component={Link} to={to} {...common}>{icon}</ActionIcon>
        ) : (
          <ActionIcon variant="subtle" hiddenFrom="xl" onClick={onClick} {...common}>{icon}</ActionIcon>
        )}
      </Tooltip>
      {to ? (
        <Button variant="subtle" size="compact-sm" visibleFrom="xl" leftSection={icon} component={Link} to={to} {...common}>{label}</Button>
      ) : (
        <Button variant="subtle" size="compact-sm" visibleFrom="xl" leftSection={icon} onClick={onClick} {...common}>{label}</Button>
      )}
    </>
  );
}
