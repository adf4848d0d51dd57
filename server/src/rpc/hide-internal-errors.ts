import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { domainErrorCode } from "./domain-error-codes.js";

/**
 * Failures a client caused or must act on become their gRPC code, with their message.
 * Errors the service did not raise on purpose become a plain Internal error for the client,
 * so no message or stack of ours leaks; the details go to the server's log instead.
 */
export function hideInternalErrors(log: (error: unknown) => void): Interceptor {
  return (next) => async (request) => {
    try {
      const response = await next(request);
      if (!response.stream) return response;
      return { ...response, message: guardStream(response.message, log) };
    } catch (error) {
      throw toClientError(error, log);
    }
  };
}

async function* guardStream<T>(messages: AsyncIterable<T>, log: (error: unknown) => void): AsyncIterable<T> {
  try {
    yield* messages;
  } catch (error) {
    throw toClientError(error, log);
  }
}

function toClientError(error: unknown, log: (error: unknown) => void): ConnectError {
  if (error instanceof ConnectError) return error;
  const code = domainErrorCode(error);
  if (code !== undefined) return new ConnectError((error as Error).message, code);
  log(error);
  return new ConnectError("internal error", Code.Internal);
}
