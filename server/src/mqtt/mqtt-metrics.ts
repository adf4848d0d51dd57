import { Counter, Gauge, type Registry } from "prom-client";

/** What GET /metrics tells of the MQTT subscription. */
export class MqttMetrics {
  readonly messages;
  readonly connected;
  readonly subscribing;
  readonly resets;

  constructor(registry: Registry) {
    this.messages = new Counter({
      name: "meterusage_mqtt_messages_total",
      help: "MQTT messages received: stored (readings or a register step committed), ignored (redelivered, reordered or repeated) or rejected (unreadable)",
      labelNames: ["result"] as const,
      registers: [registry],
    });
    for (const result of ["stored", "ignored", "rejected"]) this.messages.inc({ result }, 0);
    this.connected = new Gauge({ name: "meterusage_mqtt_connected", help: "1 while connected to the MQTT broker", registers: [registry] });
    this.subscribing = new Gauge({
      name: "meterusage_mqtt_subscribing",
      help: "1 while this process is the one that subscribes; 0 while it stands by for another on the same PostgreSQL database",
      registers: [registry],
    });
    this.resets = new Counter({
      name: "meterusage_mqtt_register_resets_total",
      help: "Cumulative registers that went down (a meter reset or replaced), by meter",
      labelNames: ["meter"] as const,
      registers: [registry],
    });
  }
}
