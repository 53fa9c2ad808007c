// What the guided flows need from a UI: one input box or one pick at a time. The VS Code
// implementation (vscode-prompter.ts) uses QuickPick/InputBox; unit tests script answers.
// Every method resolves to `undefined` when the user pressed Escape.

export interface InputRequest {
  title: string;
  prompt: string;
  value?: string;
  placeholder?: string;
  step?: number;
  totalSteps?: number;
  password?: boolean;
  /** Returns an error message to show inline, or undefined when the text is acceptable. */
  validate?: (text: string) => string | undefined;
}

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
  picked?: boolean;
}

export interface PickRequest<T> {
  title: string;
  placeholder: string;
  items: PickItem<T>[];
  step?: number;
  totalSteps?: number;
}

export interface Prompter {
  input(request: InputRequest): Promise<string | undefined>;
  pick<T>(request: PickRequest<T>): Promise<T | undefined>;
  pickMany<T>(request: PickRequest<T>): Promise<T[] | undefined>;
}
