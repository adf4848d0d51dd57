import { create, toJsonString, type DescMessage, type JsonReadOptions, type JsonWriteOptions, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";

// connect-node writes a JSON answer as toJsonString(message) and hands that text to the
// jsonOptions' textEncoder: protobuf-es has no way to give it JSON text of our own, and
// toJsonString builds an object per field, which for a year of hours costs several times what
// reading the totals does. So an answer written as JSON text beforehand travels as a small
// stand-in message whose one string field holds a key, and the encoder, given the stand-in's
// JSON, answers the text written for it instead. Binary answers do the same through unknown
// fields (proto-writer.ts).

const written = new Map<string, Uint8Array<ArrayBuffer>>();
// A stand-in that is never encoded (its request failed after the answer was made) must not
// keep its text: the entry goes when the stand-in is collected.
const unsent = new FinalizationRegistry<string>((key) => written.delete(key));
const textEncoder = new TextEncoder();
let lastKey = 0;
// Keys are short; a longer text is never one, and is not hashed to find out.
const longestKey = 200;

/**
 * A message of `schema` for connect-node to send whose JSON is `json`, in UTF-8: `keyField`
 * names a string field the stand-in carries its key in. Binary clients must get a real message.
 */
export function preWrittenJson<Desc extends DescMessage>(schema: Desc, keyField: keyof MessageInitShape<Desc> & string, json: Uint8Array<ArrayBuffer>): MessageShape<Desc> {
  const init = { [keyField]: `pre-written JSON ${++lastKey}` } as MessageInitShape<Desc>;
  const message = create(schema, init);
  const key = toJsonString(schema, message);
  written.set(key, json);
  unsent.register(message, key);
  return message;
}

/**
 * connect-node's jsonOptions with the encoder that sends pre-written answers. connect-node hands
 * its jsonOptions to createJsonSerialization, whose options take a textEncoder, though the
 * adapter's type does not name it: the tests over the wire check that it is used.
 */
export function sendingPreWrittenJson(options: Partial<JsonReadOptions & JsonWriteOptions>): Partial<JsonReadOptions & JsonWriteOptions> {
  return Object.assign({ textEncoder: preWrittenJsonEncoder }, options);
}

/** The text written for a stand-in, else the text it is given. */
const preWrittenJsonEncoder = {
  encode(text = ""): Uint8Array<ArrayBuffer> {
    if (text.length <= longestKey) {
      const bytes = written.get(text);
      if (bytes !== undefined) {
        written.delete(text);
        return bytes;
      }
    }
    return textEncoder.encode(text);
  },
};
