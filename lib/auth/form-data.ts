/**
 * Server actions are public endpoints: anyone can post any arguments to them, not
 * only the forms of this app. An action that reads a form first checks that it
 * got one, so a hand-made request gets a clear answer instead of a 500.
 */
export function isForm(value: unknown): value is FormData {
  return value instanceof FormData;
}

export const UNREADABLE_FORM = "The form could not be read. Reload the page and try again.";
