// The trace slot when no page of it matches (it always does: see [[...path]]).
export default function NoTrace() {
  return null;
}
