const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The demo page at /webchat/demo?service=KEY: a plain page that embeds the widget the way a customer's
 * site does, for trying it and for the browser tests. An unknown key still renders the page; the widget
 * then shows itself unavailable (its config call answers 404).
 */
export function demoPage(serviceKey: string): string {
  const key = escapeHtml(serviceKey.slice(0, 64));
  return `<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mirante — demonstração do WebChat</title>
<style>
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1f2937; background: #f8fafc; }
  main { max-width: 720px; margin: 0 auto; padding: 48px 24px; line-height: 1.6; }
  h1 { font-size: 1.75rem; margin: 0 0 16px; }
  code { background: #e2e8f0; padding: 2px 6px; border-radius: 4px; font-size: 0.9em; word-break: break-all; }
  .note { color: #475569; font-size: 0.95rem; }
</style>
</head>
<body>
<main>
  <h1>Demonstração do WebChat</h1>
  <p>Esta página mostra o widget de atendimento do Mirante exatamente como ele aparece no site de um cliente.
  Clique no botão de conversa no canto da tela para falar com a central: o atendimento começa pelo
  autoatendimento (quando o serviço tem um fluxo), informa o número de protocolo e, se preciso, coloca você na
  fila para um atendente.</p>
  <p>Para incluir o widget em qualquer site, basta uma linha:</p>
  <p><code>&lt;script src="https://SEU-SERVIDOR/widget.js" data-service="${key || 'CHAVE_DO_SERVICO'}" async&gt;&lt;/script&gt;</code></p>
  <p class="note">Serviço desta demonstração: <strong>${key || '(nenhum: informe ?service=CHAVE na URL)'}</strong>.
  Se a chave não existir ou o serviço estiver inativo, o widget aparece como indisponível.</p>
</main>
<script src="/widget.js" data-service="${key}" async></script>
</body>
</html>
`;
}
