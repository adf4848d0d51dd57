import { createContextKey, createContextValues, type ContextValues, type Interceptor } from "@connectrpc/connect";
import type { ConnectNodeAdapterOptions } from "@connectrpc/connect-node";
import type { AccessPolicy, Grant } from "../access/access-policy.js";

const clientAddressKey = createContextKey("", { description: "the client's IP address" });
const grantKey = createContextKey<Grant | undefined>(undefined, { description: "what the caller may do" });

/** Hands the client's address from the Node request to the interceptors (connect-node's `contextValues`). */
export const rpcContextValues: NonNullable<ConnectNodeAdapterOptions["contextValues"]> = (request) => {
  const values = createContextValues();
  values.set(clientAddressKey, request.socket.remoteAddress ?? "");
  return values;
};

/**
 * Authenticates every call of the guarded services and leaves the caller's grant in the
 * context for the service; other services (health, reflection) stay open.
 */
export function authenticateRpc(policy: AccessPolicy, guardedServices: string[]): Interceptor {
  return (next) => async (request) => {
    if (guardedServices.includes(request.service.typeName)) {
      const grant = policy.authenticate(request.header.get("authorization"), request.contextValues.get(clientAddressKey));
      request.contextValues.set(grantKey, grant);
    }
    return next(request);
  };
}

/** The grant authenticateRpc found for this call. */
export function callerGrant(values: ContextValues): Grant {
  const grant = values.get(grantKey);
  if (grant === undefined) throw new Error("the call was not authenticated: authenticateRpc must guard its service");
  return grant;
}
