import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { ActionIcon, Alert, Button, Group, Paper, Text, Tooltip } from '@mantine/core';
import {
  IconMicrophone, IconMicrophoneOff, IconPhone, IconPhoneOff, IconPhoneX, IconVideo, IconVideoOff,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { formatDuration, formatSeconds } from '../../shared/duration';
import type { CallSession } from '../../shared/call-session';
import type { DeskCallsState } from './calls';
import type { DeskStore } from './store';
import classes from './desk.module.css';

export function useCalls(store: DeskStore): DeskCallsState {
  return useSyncExternalStore(store.calls.subscribe, store.calls.getState);
}

/** A stream drawn in a <video> (the remote one plays its sound too; one's own is muted). */
function StreamView({ stream, muted, className, label, testId }: { stream: MediaStream | null; muted: boolean; className: string; label: string; testId: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el && el.srcObject !== stream) el.srcObject = stream;
  }, [stream]);
  return <video ref={ref} className={className} autoPlay playsInline muted={muted} aria-label={label} data-testid={testId} />;
}

/** The call's time, from when this desk saw it answered. */
function CallTimer({ since }: { since: number }) {
  const { t } = useTranslation('desk');
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return (
    <Text size="sm" ff="monospace" fw={600} aria-label={t('desk.call.timer')} data-testid="call-timer">
      {formatDuration(now - since)}
    </Text>
  );
}

/** Ligar (áudio) / Ligar (vídeo), on an open WebChat conversation. */
export function CallButtons({ store, conversationId }: { store: DeskStore; conversationId: string }) {
  const { t } = useTranslation('desk');
  const calls = useCalls(store);
  const elsewhere = store.calls.conversationId !== null || calls.starting !== null;
  if (store.calls.conversationId === conversationId) return null;
  const tip = elsewhere ? t('desk.call.busyHere') : null;
  return (
    <>
      {(['audio', 'video'] as const).map((kind) => (
        <Tooltip key={kind} label={tip ?? t(`desk.call.${kind}Label`)} withArrow>
          <Button
            variant="default"
            leftSection={kind === 'audio' ? <IconPhone size={16} /> : <IconVideo size={16} />}
            disabled={elsewhere}
            loading={calls.starting === conversationId}
            onClick={() => store.calls.start(conversationId, kind)}
            data-testid={`call-start-${kind}`}
          >
            {t(`desk.call.${kind}`)}
          </Button>
        </Tooltip>
      ))}
    </>
  );
}

function Controls({ s }: { s: CallSession }) {
  const { t } = useTranslation('desk');
  const active = s.call.state === 'active';
  const ringingIn = s.call.state === 'ringing' && !s.outgoing;
  if (ringingIn) {
    return (
      <Group gap="xs">
        <Button color="green" leftSection={<IconPhone size={16} />} onClick={() => void s.accept()} loading={s.accepting} data-testid="call-accept">
          {t('desk.call.answer')}
        </Button>
        <Button color="red" variant="light" leftSection={<IconPhoneX size={16} />} onClick={() => s.decline()} disabled={s.accepting} data-testid="call-decline">
          {t('desk.call.decline')}
        </Button>
      </Group>
    );
  }
  const muteLabel = s.muted ? t('desk.call.unmute') : t('desk.call.mute');
  const camLabel = s.cameraOff ? t('desk.call.cameraOn') : t('desk.call.cameraOff');
  const switchLabel = s.call.video ? t('desk.call.toAudio') : t('desk.call.toVideo');
  return (
    <Group gap="xs">
      {active && (
        <>
          <Tooltip label={muteLabel} withArrow>
            <ActionIcon size={36} variant={s.muted ? 'filled' : 'default'} color={s.muted ? 'red' : 'gray'} aria-label={muteLabel} aria-pressed={s.muted} onClick={() => s.toggleMute()} data-testid="call-mute">
              {s.muted ? <IconMicrophoneOff size={18} /> : <IconMicrophone size={18} />}
            </ActionIcon>
          </Tooltip>
          {s.call.video && (
            <Tooltip label={camLabel} withArrow>
              <ActionIcon size={36} variant={s.cameraOff ? 'filled' : 'default'} color={s.cameraOff ? 'red' : 'gray'} aria-label={camLabel} aria-pressed={s.cameraOff} onClick={() => s.toggleCamera()} data-testid="call-camera">
                {s.cameraOff ? <IconVideoOff size={18} /> : <IconVideo size={18} />}
              </ActionIcon>
            </Tooltip>
          )}
          <Button variant="default" size="sm" leftSection={s.call.video ? <IconPhone size={16} /> : <IconVideo size={16} />} onClick={() => s.switchVideo(!s.call.video)} data-testid="call-switch">
            {switchLabel}
          </Button>
        </>
      )}
      <Button color="red" leftSection={<IconPhoneOff size={16} />} onClick={() => s.hangup()} data-testid="call-hangup">
        {active ? t('desk.call.hangup') : t('desk.call.cancel')}
      </Button>
    </Group>
  );
}

/**
 * The conversation's call: ringing (incoming: Atender / Recusar), calling, connecting, in the call
 * (the customer's picture large, one's own in a corner, the timer, mute, camera, audio ↔ video,
 * hang up); after it, how it ended, in words.
 */
export function CallPanel({ store, conversationId, name }: { store: DeskStore; conversationId: string; name: string }) {
  const { t } = useTranslation('desk');
  const calls = useCalls(store);
  const s = calls.session && !calls.session.done && store.calls.conversationId === conversationId ? calls.session : null;
  const ending = calls.endings.get(conversationId);
  const error = calls.error?.conversationId === conversationId ? calls.error : null;

  if (!s) {
    if (!ending?.outcome && !error) return null;
    const text = error ? (error.message ? t('desk.call.error', { message: error.message }) : t('desk.call.noAnswer')) : t(`desk.call.outcome.${ending!.outcome!}`);
    const bad = !!error || (ending?.outcome !== 'ended' && ending?.outcome !== 'hungUp');
    return (
      <Alert color={bad ? 'orange' : 'gray'} radius={0} py={6} role="alert" withCloseButton closeButtonLabel={t('desk.call.dismiss')} onClose={() => store.calls.dismiss(conversationId)} data-testid="call-outcome" data-outcome={error ? 'error' : ending?.outcome}>
        <Text size="sm">
          {text}
          {!error && ending && ending.seconds > 0 && ` ${t('desk.call.lasted', { time: formatSeconds(ending.seconds) })}`}
        </Text>
      </Alert>
    );
  }

  const c = s.call;
  const video = c.video;
  const status = c.state === 'ringing'
    ? s.outgoing
      ? !s.local ? t('desk.call.askingMedia', { camera: video ? t('desk.call.andCamera') : '' }) : t('desk.call.calling', { name })
      : t(video ? 'desk.call.incomingVideo' : 'desk.call.incomingAudio', { name })
    : !s.connected ? t('desk.call.connecting') : video ? t('desk.call.inVideo') : t('desk.call.inAudio');

  return (
    <Paper radius={0} p="xs" className={classes.callPanel} data-testid="call-panel" data-state={c.state} data-connected={s.connected} data-video={video} data-tone={calls.tone} aria-label={status} component="section">
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Group gap="xs">
          <Text size="sm" fw={600} role="status" data-testid="call-status">
            {status}
          </Text>
          {c.state === 'active' && s.activeSince !== null && <CallTimer since={s.activeSince} />}
        </Group>
        <Controls s={s} />
      </Group>
      {calls.soundBlocked && (
        <Text size="sm" c="dimmed" mt={4} data-testid="call-sound-blocked">
          {t('desk.call.soundBlocked')}
        </Text>
      )}
      {s.cameraProblem && (
        <Text size="sm" c="orange.9" role="alert" mt={4} data-testid="call-camera-problem">
          {t('desk.call.cameraProblem')}
        </Text>
      )}
      {/* the remote side always plays (its sound); its picture shows in a video call */}
      <div className={video && c.state === 'active' ? classes.callStage : classes.callHidden}>
        <StreamView stream={s.remote} muted={false} className={classes.callRemote} label={t('desk.call.remote')} testId="call-remote-video" />
        {video && <StreamView stream={s.local} muted className={classes.callSelf} label={t('desk.call.self')} testId="call-local-video" />}
      </div>
    </Paper>
  );
}

/** A customer ringing on a conversation the agent is not looking at: Atender / Recusar from anywhere on the desk. */
export function IncomingCall({ store, selectedId, nameOf }: { store: DeskStore; selectedId: string | null; nameOf(conversationId: string): string }) {
  const { t } = useTranslation('desk');
  const calls = useCalls(store);
  const s = calls.session;
  const id = store.calls.conversationId;
  if (!s || s.done || !id || id === selectedId || s.outgoing || s.call.state !== 'ringing') return null;
  return (
    <Alert color="green" role="alertdialog" aria-label={t(s.call.video ? 'desk.call.incomingVideo' : 'desk.call.incomingAudio', { name: nameOf(id) })} data-testid="call-incoming" data-tone={calls.tone}>
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={600}>
          {t(s.call.video ? 'desk.call.incomingVideo' : 'desk.call.incomingAudio', { name: nameOf(id) })}
        </Text>
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={() => store.select(id)}>
            {t('desk.call.open')}
          </Button>
          <Button size="xs" color="green" onClick={() => {
            store.select(id);
            void s.accept();
          }} data-testid="call-incoming-accept">
            {t('desk.call.answer')}
          </Button>
          <Button size="xs" color="red" variant="light" onClick={() => s.decline()}>
            {t('desk.call.decline')}
          </Button>
        </Group>
      </Group>
    </Alert>
  );
}
