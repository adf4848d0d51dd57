import assert from "node:assert/strict";
import { ConnectError } from "@connectrpc/connect";

/** The error a call that must be refused was refused with. */
export async function refusal(promise: Promise<unknown>): Promise<ConnectError> {
  try {
    await promise;
  } catch (error) {
    return ConnectError.from(error);
  }
  assert.fail("expected the call to be refused");
}
