/** Ends a follow stream whose reader let more new readings pile up than a follower may queue. */
export class FollowerTooSlowError extends Error {
  constructor(readonly lastSentTime: number | undefined, maxQueued: number) {
    super(
      `this follower fell more than ${maxQueued} new readings behind and was stopped; ` +
        "follow again from the last time received",
    );
    this.name = "FollowerTooSlowError";
  }
}
