// Placeholder: the UI test lands next.
export async function runUiTests() {}
