import { createRegistry, toBinary, type DescFile } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";

/** A reflection request, as v1 and v1alpha both shape it. */
export interface ReflectionQuestion {
  messageRequest: { case: string | undefined; value?: unknown };
}

/** The answer to a reflection request; v1 and v1alpha share the shape. */
export type ReflectionAnswer =
  | { case: "fileDescriptorResponse"; value: { fileDescriptorProto: Uint8Array[] } }
  | { case: "listServicesResponse"; value: { service: { name: string }[] } }
  | { case: "errorResponse"; value: { errorCode: number; errorMessage: string } };

// gRPC status codes the reflection protocol answers with.
const notFound = 5;
const unimplemented = 12;

/**
 * Answers gRPC server reflection from the descriptors the code generator embedded, so
 * grpcurl and buf curl can call the service without its .proto files.
 */
export function reflectionAnswers(files: DescFile[]): (question: ReflectionQuestion) => ReflectionAnswer {
  const registry = createRegistry(...files);
  const filesByName = new Map<string, DescFile>();
  const addWithDependencies = (file: DescFile) => {
    if (filesByName.has(file.proto.name)) return;
    filesByName.set(file.proto.name, file);
    file.dependencies.forEach(addWithDependencies);
  };
  files.forEach(addWithDependencies);
  const serviceNames = files.flatMap((file) => file.services.map((service) => service.typeName));

  const fileAnswer = (file: DescFile | undefined, asked: string): ReflectionAnswer => {
    if (file === undefined) return error(notFound, `${asked} is not known to this server`);
    return { case: "fileDescriptorResponse", value: { fileDescriptorProto: withDependencies(file).map(encode) } };
  };

  return ({ messageRequest }) => {
    switch (messageRequest.case) {
      case "listServices":
        return { case: "listServicesResponse", value: { service: serviceNames.map((name) => ({ name })) } };
      case "fileByFilename": {
        const name = String(messageRequest.value);
        return fileAnswer(filesByName.get(name), `the file ${name}`);
      }
      case "fileContainingSymbol": {
        const symbol = String(messageRequest.value);
        return fileAnswer(fileOfSymbol(registry, symbol), `the symbol ${symbol}`);
      }
      default:
        return error(unimplemented, `${messageRequest.case ?? "an empty request"} is not supported: this server defines no extensions`);
    }
  };
}

/** The file that declares a type, service or method, found by trimming the name from the right. */
function fileOfSymbol(registry: ReturnType<typeof createRegistry>, symbol: string): DescFile | undefined {
  for (let name = symbol; name !== ""; name = name.slice(0, Math.max(0, name.lastIndexOf(".")))) {
    const found = registry.get(name);
    if (found !== undefined) return found.file;
  }
  return undefined;
}

/** The file first, then every file it imports, directly or not, each once. */
function withDependencies(file: DescFile): DescFile[] {
  const seen = new Set<DescFile>();
  const visit = (next: DescFile) => {
    if (seen.has(next)) return;
    seen.add(next);
    next.dependencies.forEach(visit);
  };
  visit(file);
  return [...seen];
}

function encode(file: DescFile): Uint8Array {
  return toBinary(FileDescriptorProtoSchema, file.proto);
}

function error(errorCode: number, errorMessage: string): ReflectionAnswer {
  return { case: "errorResponse", value: { errorCode, errorMessage } };
}
