// The widget's CSS, inside its shadow root: the page's styles do not reach in (`all: initial` stops
// inherited fonts and colours too) and these do not leak out. Full screen under 480 px wide.

export const CSS = `
:host{all:initial;--p:#0b7285;--pd:#095c6b;--pl:#e3fafc;--t:#212529;--m:#5c636a;--b:#dee2e6;--bg:#f8f9fa;--e:#c92a2a;
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,"Helvetica Neue",Arial,sans-serif;color:var(--t)}
*{box-sizing:border-box;font:inherit;color:inherit;margin:0}
button{cursor:pointer;background:none;border:0;padding:0}
button:disabled{cursor:default;opacity:.55}
:focus-visible{outline:2px solid #1c7ed6;outline-offset:2px}
[hidden]{display:none!important}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:60px;height:60px;border-radius:50%;background:var(--p);color:#fff;
display:flex;align-items:center;justify-content:center;box-shadow:0 4px 14px rgba(0,0,0,.25)}
.launcher:hover{background:var(--pd)}
.badge{position:absolute;top:-2px;right:-2px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:var(--e);color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center}
.panel{position:fixed;right:20px;bottom:92px;z-index:2147483000;width:380px;max-width:calc(100vw - 40px);height:min(620px,calc(100vh - 112px));
background:#fff;border-radius:16px;box-shadow:0 12px 40px rgba(0,0,0,.22);display:flex;flex-direction:column;overflow:hidden}
header{display:flex;align-items:center;gap:8px;padding:12px 10px 12px 16px;background:var(--p);color:#fff}
header .hd{flex:1;min-width:0}
h2{font-size:16px;font-weight:650;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.sub{font-size:13px;opacity:.92;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.hb{color:#fff;border-radius:8px;padding:6px 10px;font-size:13px;font-weight:600;border:1px solid rgba(255,255,255,.6)}
.hb:hover{background:rgba(255,255,255,.15)}
.x{color:#fff;border-radius:8px;width:34px;height:34px;display:flex;align-items:center;justify-content:center}
.x:hover{background:rgba(255,255,255,.15)}
.strip{padding:8px 16px;font-size:13px;background:var(--pl);color:#0b4f5c;border-bottom:1px solid #c5f0f6}
.strip b{font-weight:650}
.banner{padding:8px 16px;font-size:13px;background:#fff3bf;color:#5c3c00;border-bottom:1px solid #ffe066}
.banner.err{background:#fff5f5;color:var(--e);border-color:#ffc9c9}
.main{flex:1;min-height:0;display:flex;flex-direction:column;background:var(--bg)}
.log{flex:1;overflow-y:auto;padding:12px 12px 4px;overscroll-behavior:contain}
.msg{display:flex;flex-direction:column;align-items:flex-start;margin:0 0 10px}
.msg.me{align-items:flex-end}
.who{font-size:12px;color:var(--m);margin:0 4px 2px}
.bub{max-width:85%;padding:8px 12px;border-radius:14px 14px 14px 4px;background:#fff;border:1px solid var(--b);white-space:pre-wrap;overflow-wrap:anywhere}
.me .bub{background:var(--p);border-color:var(--p);color:#fff;border-radius:14px 14px 4px 14px}
.msg.sys{align-items:center}
.sys .bub{background:none;border:0;color:var(--m);font-size:13px;text-align:center;padding:2px 8px}
.meta{font-size:11px;color:var(--m);margin:2px 4px 0;display:flex;gap:4px;align-items:center}
.pend .bub{opacity:.75}
.opts{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px;max-width:92%}
.opt{border:1px solid var(--p);color:var(--p);background:#fff;border-radius:18px;padding:6px 12px;font-size:14px;text-align:left}
.opt:hover:not(:disabled){background:var(--pl)}
.quote{border-left:3px solid currentColor;opacity:.8;padding:2px 8px;margin-bottom:4px;font-size:.9em;white-space:pre-wrap;word-break:break-word}
.att{display:flex;align-items:center;gap:6px;margin-top:4px;text-decoration:underline;color:inherit;word-break:break-all}
.att img{display:block;max-width:220px;max-height:180px;border-radius:8px}
.typing{min-height:20px;padding:0 16px 4px;font-size:12px;color:var(--m);font-style:italic}
.composer{display:flex;align-items:flex-end;gap:6px;padding:8px;border-top:1px solid var(--b);background:#fff}
textarea,input{border:1px solid #adb5bd;border-radius:10px;padding:8px 10px;background:#fff;width:100%}
textarea{resize:none;max-height:120px;min-height:40px;line-height:1.4}
.ib{width:40px;height:40px;flex:none;border-radius:10px;color:var(--m);display:flex;align-items:center;justify-content:center}
.ib:hover:not(:disabled){background:var(--bg);color:var(--t)}
.ib.send{background:var(--p);color:#fff}
.ib.send:hover:not(:disabled){background:var(--pd);color:#fff}
.chips{display:flex;flex-wrap:wrap;gap:6px;padding:6px 8px 0;background:#fff}
.chip{display:flex;align-items:center;gap:4px;font-size:12px;background:var(--bg);border:1px solid var(--b);border-radius:12px;padding:2px 4px 2px 8px;max-width:100%}
.chip span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.chip button{width:22px;height:22px;display:flex;align-items:center;justify-content:center;border-radius:50%}
.card{margin:12px;padding:16px;background:#fff;border:1px solid var(--b);border-radius:12px;display:flex;flex-direction:column;gap:10px}
.card h3{font-size:16px;font-weight:650}
.card p{color:var(--t)}
.center{margin:auto 12px;align-items:center;text-align:center}
.center svg{color:var(--m)}
.btn{background:var(--p);color:#fff;border-radius:10px;padding:10px 14px;font-weight:600;text-align:center}
.btn:hover:not(:disabled){background:var(--pd)}
.btn.sec{background:#fff;color:var(--t);border:1px solid #adb5bd}
.btn.sec:hover{background:var(--bg)}
.btn.dng{background:var(--e)}
.row{display:flex;gap:8px;flex-wrap:wrap}
.row .btn{flex:1}
.form{flex:1;display:flex;flex-direction:column;overflow-y:auto}
.f{display:flex;flex-direction:column;gap:4px}
.f label{font-size:13px;font-weight:600}
.f label small{font-weight:400;color:var(--m)}
.f .er{font-size:12px;color:var(--e)}
[aria-invalid=true]{border-color:var(--e)}
.note{font-size:12px;color:var(--m)}
.call{padding:8px 12px;background:#ebfbee;border-bottom:1px solid #b2f2bb;display:flex;flex-direction:column;gap:6px}
.cs{display:flex;justify-content:space-between;gap:8px;font-size:13px;font-weight:600}
.ct{font-variant-numeric:tabular-nums}
.cn{font-size:13px;color:var(--e)}
.call .row .btn{padding:6px 10px;font-size:13px;flex:1 1 auto}
.call.ringing{background:#d3f9d8;box-shadow:inset 0 0 0 2px #2f9e44}
.tap{font:inherit;font-size:14px;font-weight:600;padding:8px;border:2px dashed #2f9e44;border-radius:8px;background:#fff;color:#2b8a3e;cursor:pointer}
.stage{position:relative;background:#111;border-radius:10px;overflow:hidden;height:200px}
.stage.off{position:absolute;width:1px;height:1px;clip-path:inset(50%)}
.rv{width:100%;height:100%;object-fit:contain;display:block}
.lv{position:absolute;right:6px;bottom:6px;width:30%;border:2px solid #fff;border-radius:6px;background:#333}
@media (max-width:480px){
.panel{right:0;bottom:0;width:100%;max-width:none;height:100%;border-radius:0}
:host([data-open]) .launcher{display:none}
input,textarea{font-size:16px}
}
@media (prefers-reduced-motion:no-preference){.panel{animation:up .18s ease-out}@keyframes up{from{opacity:0;transform:translateY(12px)}}
.call.ringing{animation:rg 1s ease-in-out infinite alternate}@keyframes rg{to{background:#8ce99a}}}
`;
