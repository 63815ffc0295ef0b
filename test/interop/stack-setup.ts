/**
 * jest globalSetup: names this test run (IFAX_STACK_RUN) before any worker starts, so that the
 * mail stack can record which run started it. It starts nothing: only tests that call
 * mailStack() start the stack.
 */
export default function stackSetup(): void {
  process.env.IFAX_STACK_RUN ??= `jest-${process.pid}-${Date.now()}`;
}
