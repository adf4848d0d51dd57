/**
 * An MQTT topic filter ("tele/+/SENSOR", "meters/#") as a matcher that also answers what each
 * `+` matched, in order, for the meter name's `{1}`, `{2}`...
 */
export class TopicFilter {
  private readonly levels: string[];

  constructor(readonly filter: string) {
    this.levels = filter.split("/");
  }

  /** How many `+` levels the filter has. */
  get wildcards(): number {
    return this.levels.filter((level) => level === "+").length;
  }

  /** What the `+` levels matched, or undefined when the topic does not match. */
  match(topic: string): string[] | undefined {
    const levels = topic.split("/");
    const matched: string[] = [];
    for (let i = 0; i < this.levels.length; i++) {
      const level = this.levels[i];
      if (level === "#") return i === 0 && topic.startsWith("$") ? undefined : matched;
      if (i >= levels.length) return undefined;
      if (level === "+") {
        // Wildcards never match the broker's own $SYS topics from the first level.
        if (i === 0 && levels[0].startsWith("$")) return undefined;
        matched.push(levels[i]);
      } else if (level !== levels[i]) return undefined;
    }
    return levels.length === this.levels.length ? matched : undefined;
  }
}

/** Why a topic filter is not one, or undefined when it is. */
export function topicFilterProblem(filter: string): string | undefined {
  if (filter === "") return "is empty";
  const levels = filter.split("/");
  for (const [i, level] of levels.entries()) {
    if (level === "#" && i !== levels.length - 1) return "has # before its last level";
    if (level !== "+" && level !== "#" && /[+#]/.test(level)) return `has a wildcard inside the level ${JSON.stringify(level)}`;
  }
  return undefined;
}

/** The meter name of a template such as "shelly-{1}", filled with a topic's `+` matches. */
export function fillMeterName(template: string, matched: string[]): string {
  return template.replace(/\{(\d+)\}/g, (_, n: string) => matched[Number(n) - 1] ?? "");
}
