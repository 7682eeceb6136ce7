/** A usage mistake (unknown flag, missing argument, bad value): exit 2, nothing was sent. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
