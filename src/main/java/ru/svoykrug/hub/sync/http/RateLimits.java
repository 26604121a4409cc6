package ru.svoykrug.hub.sync.http;

/**
 * A vendor's documented rate limit, as vendors state it: at most {@code perSecond} calls in any second and
 * {@code perMinute} in any minute (YCLIENTS: 5 and 200). Zero or less means no such limit.
 */
public record RateLimits(int perSecond, int perMinute) {

    public static final RateLimits NONE = new RateLimits(0, 0);

    public boolean limited() {
        return perSecond > 0 || perMinute > 0;
    }

    /** The same limits with {@code perSecond} lowered by one, for vendors that punish a single call too many. */
    public RateLimits oneBelowPerSecond() {
        return new RateLimits(perSecond > 1 ? perSecond - 1 : perSecond, perMinute);
    }
}
