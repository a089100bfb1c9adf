import { useState } from 'react';
import { Alert, Anchor, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../api';
import { setLanguage, storedLanguage } from '../i18n';
import { Logo } from '../ui/Logo';

export function LoginPage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await call('postAuthLogin', { body: { email, password } });
      setLanguage(me.language);
      qc.setQueryData(['me'], me);
      await qc.invalidateQueries({ queryKey: ['settings'] });
    } catch (err) {
      // a wrong password is a 401; no answer at all is not the password's fault
      if (err instanceof ApiError && err.status === 429) setError(t('login.throttled'));
      else if (err instanceof ApiError && (err.status === 401 || err.status === 400)) setError(t('login.invalid'));
      else setError(err instanceof ApiError ? err.message : t('common.network'));
    } finally {
      setBusy(false);
    }
  }

  const lang = storedLanguage();
  return (
    <Center mih="100vh" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={380}>
        <form onSubmit={submit}>
          <Stack>
            <Group gap="sm">
              <Logo size={36} />
              <Box>
                <Title order={1} size="h3">{t('login.title')}</Title>
                <Text size="sm" c="dimmed">{t('login.subtitle')}</Text>
              </Box>
            </Group>
            {error && <Alert color="red" role="alert">{error}</Alert>}
            <TextInput label={t('login.email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} autoFocus />
            <PasswordInput label={t('login.password')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <Button type="submit" loading={busy} fullWidth>{t('login.submit')}</Button>
            <Group justify="center" gap="xs">
              <Anchor component="button" type="button" size="sm" fw={lang === 'pt-BR' ? 700 : 400} onClick={() => setLanguage('pt-BR')}>Português</Anchor>
              <Text size="sm" c="dimmed">·</Text>
              <Anchor component="button" type="button" size="sm" fw={lang === 'en' ? 700 : 400} onClick={() => setLanguage('en')}>English</Anchor>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
