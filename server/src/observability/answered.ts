/**
 * When each request's answer is done: the response closed, its last bytes handed to the socket
 * or the client gone. A request's log line waits for that, as an access log's does: on HTTP/2 a
 * handler's frames leave only after the turn that wrote them, so a line handed to the logger in
 * that turn came before the answer's first bytes. It is handed over in the close event itself,
 * not on a timer, so no line that is due waits for a later turn.
 */
interface Answer {
  done: boolean;
  waiting: (() => void)[];
}

interface ClosingResponse {
  once(event: "close", listener: () => void): unknown;
}

const answers = new WeakMap<object, Answer>();

/** The handler, watching each response so that whenAnswered can wait for it. */
export function watchingAnswers<Request extends object, Response extends ClosingResponse>(
  handler: (request: Request, response: Response) => void,
): (request: Request, response: Response) => void {
  return (request, response) => {
    const answer: Answer = { done: false, waiting: [] };
    answers.set(request, answer);
    response.once("close", () => {
      answer.done = true;
      for (const then of answer.waiting.splice(0)) then();
    });
    handler(request, response);
  };
}

/** Runs `then` once the answer to `request` is done: at once if it is, or if its response is not watched. */
export function whenAnswered(request: object, then: () => void): void {
  const answer = answers.get(request);
  if (answer === undefined || answer.done) then();
  else answer.waiting.push(then);
}
