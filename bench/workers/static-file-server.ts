// The JSON route's reference: the same bytes served as a static file, the cheapest way Node
// has to answer them over the same loopback.
import { createReadStream, statSync } from "node:fs";
import http from "node:http";

const [file] = process.argv.slice(2);
const size = statSync(file).size;
const server = http.createServer((request, response) => {
  response.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": size });
  createReadStream(file).pipe(response);
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address() as { port: number };
  console.log(`static file server on http://127.0.0.1:${address.port}`);
});
