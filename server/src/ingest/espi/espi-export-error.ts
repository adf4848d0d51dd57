/** Thrown when a meter's readings cannot be written as an ESPI feed: its unit has no ESPI code, or a value or time no ESPI field can hold exactly. */
export class EspiExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EspiExportError";
  }
}
