import { readFile } from "node:fs/promises";
import { MqttConfigError, parseMqttMap, type MqttMap } from "./mqtt-map.js";

export interface MqttSettings {
  url: string;
  ca?: Buffer;
  map: MqttMap;
}

/**
 * The broker, its CA and the map, read and checked before the service starts, so a mistake
 * stops start-up with a message that names the file, the subscription and the field.
 */
export async function readMqttSettings(url: string | undefined, caFile: string | undefined, mapFile: string | undefined): Promise<MqttSettings | undefined> {
  if (url === undefined) {
    if (mapFile !== undefined || caFile !== undefined) throw new MqttConfigError("--mqtt-map and --mqtt-ca need --mqtt URL (or METERUSAGE_MQTT): the broker to subscribe to");
    return undefined;
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !["mqtt:", "mqtts:"].includes(parsed.protocol) || parsed.hostname === "") {
    throw new MqttConfigError("--mqtt must be a broker URL such as mqtt://user:password@broker:1883 or mqtts://broker:8883");
  }
  if (mapFile === undefined) throw new MqttConfigError("--mqtt needs --mqtt-map FILE (or METERUSAGE_MQTT_MAP): which topics hold which meters' readings");
  let ca: Buffer | undefined;
  if (caFile !== undefined) {
    ca = await readFile(caFile);
    if (!ca.toString("latin1").includes("-----BEGIN CERTIFICATE-----")) throw new MqttConfigError(`the MQTT CA ${caFile} is not a PEM certificate`);
    if (parsed.protocol !== "mqtts:") throw new MqttConfigError("--mqtt-ca is for a broker spoken to over TLS: use an mqtts:// URL");
  }
  const text = await readFile(mapFile, "utf8");
  try {
    return { url, ca, map: parseMqttMap(text) };
  } catch (error) {
    if (error instanceof MqttConfigError) throw new MqttConfigError(`the MQTT map ${mapFile}: ${error.message}`);
    throw error;
  }
}
