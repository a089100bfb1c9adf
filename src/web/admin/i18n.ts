// Words of the administration screens (Portuguese first; seed 2's labels where it names them).
export const ptBR = {
  pauseReasons: {
    title: 'Motivos de pausa',
    description: 'Motivos que o agente escolhe ao entrar em pausa (banheiro, almoço, descanso…).',
    maxMinutes: 'Duração máxima (min)',
    maxMinutesHelp: 'Gera um alerta quando a pausa passa deste tempo; vazio usa o parâmetro geral.',
    productive: 'Pausa produtiva',
  },
};

export const en: typeof ptBR = {
  pauseReasons: {
    title: 'Pause reasons',
    description: 'Reasons an agent picks when pausing (restroom, lunch, rest…).',
    maxMinutes: 'Maximum duration (min)',
    maxMinutesHelp: 'Raises an alert when the pause lasts longer; empty uses the general parameter.',
    productive: 'Productive pause',
  },
};
