import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import classes from './desk.module.css';

/** The customer's typing is relayed about once a second while they type: shown this long after each signal. */
const SHOWN_MS = 5000;

/** "digitando…" under the history, for a few seconds after the customer's last typing signal. */
export function CustomerTyping({ at }: { at: number | null }) {
  const { t } = useTranslation('desk');
  const [, tick] = useState(0);
  const left = at === null ? 0 : at + SHOWN_MS - Date.now();
  useEffect(() => {
    if (left <= 0) return;
    const id = setTimeout(() => tick((n) => n + 1), left + 10);
    return () => clearTimeout(id);
  }, [at, left]);
  return (
    <div className={classes.typing} aria-live="polite" data-testid="customer-typing">
      {left > 0 ? t('desk.composer.typing') : ''}
    </div>
  );
}
