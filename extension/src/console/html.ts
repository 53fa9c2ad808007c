// The console's HTML: a strict Content Security Policy with a fresh nonce per render, the
// stylesheet and the bundle loaded from the extension's own files, and nothing inline
// except what carries the nonce. vscode-free so the webview tests load the same page.
import { randomBytes } from 'node:crypto';

export interface ConsoleHtmlInput {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  /** `webview.asWebviewUri(dist/webview/console.js)`. */
  scriptUri: string;
  /** `webview.asWebviewUri(media/console.css)`. */
  styleUri: string;
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function consoleCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
  ].join('; ');
}

export function renderConsoleHtml(input: ConsoleHtmlInput): string {
  const nonce = escapeAttr(input.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(consoleCsp(input.cspSource, input.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(input.styleUri)}" nonce="${nonce}">
<title>NetCam Results</title>
</head>
<body>
<main id="app" aria-label="NetCam result console"></main>
<script nonce="${nonce}" src="${escapeAttr(input.scriptUri)}"></script>
</body>
</html>
`;
}
