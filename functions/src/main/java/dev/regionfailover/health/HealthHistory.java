package dev.regionfailover.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plan's failing streak, kept in the journal so that hysteresis survives cold starts and spans invocations:
 * when the streak began, how many of its evaluations counted, when the last one counted, and the ids of the events
 * that were counted recently. {@code version} is what the journal's conditional write compares.
 *
 * <p>Hysteresis is measured in time, not in invocations: an evaluation counts only when it is at least the
 * evaluation interval after the last one that counted, and an event id counts once, so three copies of one
 * alarm (its EventBridge event, its direct action and a retry) arriving within a second count as one.
 */
public record HealthHistory(Instant failingSince, Instant lastCountedAt, int counted, List<String> recentEventIds,
        long version) {

    /** Enough to recognise the copies of one event; copies arrive within seconds of each other. */
    static final int REMEMBERED_EVENT_IDS = 16;

    public static HealthHistory none() {
        return new HealthHistory(null, null, 0, List.of(), 0);
    }

    public boolean failing() {
        return failingSince != null;
    }

    /** How long the primary has been failing, as of {@code now}; zero outside a streak. */
    public Duration failingFor(Instant now) {
        return failingSince == null ? Duration.ZERO : Duration.between(failingSince, now);
    }

    /**
     * The history after one more evaluation. A passing evaluation ends the streak. A failing one starts a streak,
     * or counts in it when it is at least {@code interval} after the last counted one and its event was not
     * counted before.
     */
    public HealthHistory next(boolean evaluationFailing, Optional<String> eventId, Instant now, Duration interval) {
        if (!evaluationFailing) {
            return new HealthHistory(null, null, 0, List.of(), version + 1);
        }
        if (failingSince == null) {
            return new HealthHistory(now, now, 1, remember(List.of(), eventId), version + 1);
        }
        // An interval of zero turns hysteresis in time off: every evaluation counts, copies included (the test
        // world uses it, where each trigger stands for an evaluation a minute after the last).
        boolean repeated = !interval.isZero() && eventId.filter(recentEventIds::contains).isPresent();
        boolean spaced = !now.isBefore(lastCountedAt.plus(interval));
        if (repeated || !spaced) {
            return new HealthHistory(failingSince, lastCountedAt, counted, recentEventIds, version + 1);
        }
        return new HealthHistory(failingSince, now, counted + 1, remember(recentEventIds, eventId), version + 1);
    }

    private static List<String> remember(List<String> ids, Optional<String> eventId) {
        if (eventId.isEmpty()) {
            return ids;
        }
        List<String> kept = new ArrayList<>(ids);
        kept.add(eventId.get());
        return List.copyOf(kept.subList(Math.max(0, kept.size() - REMEMBERED_EVENT_IDS), kept.size()));
    }
}
