import { useState, type ReactNode } from 'react';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';

export interface ConfirmOptions {
  title: string;
  message: string;
  confirm: string;
  cancel: string;
  danger?: boolean;
  onConfirm: () => void;
}

/** A confirmation dialog: render `element`, call `ask` to open it. */
export function useConfirm(): { element: ReactNode; ask: (o: ConfirmOptions) => void } {
  const [o, setO] = useState<ConfirmOptions | null>(null);
  const close = () => setO(null);
  const element = (
    <Modal opened={!!o} onClose={close} title={o?.title} size="md">
      <Stack>
        <Text size="sm">{o?.message}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>{o?.cancel}</Button>
          <Button color={o?.danger ? 'red' : undefined} data-autofocus onClick={() => { o?.onConfirm(); close(); }}>{o?.confirm}</Button>
        </Group>
      </Stack>
    </Modal>
  );
  return { element, ask: setO };
}
