// Result console entry point (bundled to dist/webview/console.js, loaded under a nonce CSP).
// Only the vscode-elements components the console uses are imported, to keep the bundle small.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { connectHost } from './host-link.js';
import { ConsoleApp } from './app.js';

const mount = document.getElementById('app') ?? document.body;
new ConsoleApp(connectHost(), mount);
