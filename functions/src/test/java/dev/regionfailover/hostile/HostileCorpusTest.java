package dev.regionfailover.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.regionfailover.hostile.HostileCorpus.Case;
import dev.regionfailover.hostile.HostileCorpus.Category;

/** The corpus itself: big enough, distinct, deterministic, covering every category and every handler. */
class HostileCorpusTest {

    @Test
    void atLeast200DistinctNamedCases() {
        List<Case> cases = HostileCorpus.cases();
        assertTrue(cases.size() >= 200, "only " + cases.size() + " cases");
        Set<String> names = new HashSet<>();
        Set<ByteBuffer> events = new HashSet<>();
        for (Case c : cases) {
            assertTrue(names.add(c.name()), "duplicate name " + c.name());
            assertTrue(events.add(ByteBuffer.wrap(c.event())), "duplicate event " + c.name());
            assertTrue(c.name().matches("[A-Za-z0-9._-]+"), "name " + c.name() + " is not a short slug");
        }
    }

    @Test
    void sameCorpusOnEveryBuild() {
        List<Case> first = HostileCorpus.build();
        List<Case> second = HostileCorpus.build();
        assertEquals(first.size(), second.size());
        for (int i = 0; i < first.size(); i++) {
            assertEquals(first.get(i).name(), second.get(i).name());
            assertTrue(java.util.Arrays.equals(first.get(i).event(), second.get(i).event()), first.get(i).name());
            assertEquals(first.get(i).valid(), second.get(i).valid(), first.get(i).name());
        }
    }

    @Test
    void everyCategoryIsWellRepresented() {
        Map<Category, Integer> counts = HostileCorpus.countsByCategory();
        System.out.println("hostile corpus: " + HostileCorpus.cases().size() + " cases " + counts
                + "; valid for a handler: " + HostileCorpus.validCounts());
        counts.forEach((category, count) -> assertTrue(count >= 10, category + " has only " + count + " cases"));
    }

    @Test
    void theRequiredKindsOfHostilityArePresent() {
        List<Case> cases = HostileCorpus.cases();
        assertTrue(cases.stream().anyMatch(c -> c.event().length > HostileCorpus.MAX_EVENT_BYTES), "oversized");
        assertTrue(cases.stream().anyMatch(c -> c.name().startsWith("deep-") && c.name().contains("10000")), "deep");
        assertTrue(cases.stream().anyMatch(c -> c.name().startsWith("truncated-")), "truncated");
        assertTrue(cases.stream().anyMatch(c -> c.name().startsWith("bom-")), "BOM");
        for (String payload : HostileCorpus.payloads().keySet()) {
            assertTrue(cases.stream().anyMatch(c -> c.name().endsWith("-" + payload)), "payload " + payload);
        }
        // Truncations of every sample event.
        for (String sample : HostileCorpus.sampleEvents().keySet()) {
            String stem = sample.replaceAll("^.*/", "").replace(".json", "");
            assertTrue(cases.stream().anyMatch(c -> c.name().startsWith("truncated-" + stem + "-at-")), sample);
        }
    }

    @Test
    void onlyDryRunsCanReachTheManualFailoverHandlerAsValid() {
        for (Case c : HostileCorpus.cases()) {
            c.validFor(HostileCorpus.MANUAL_FAILOVER).ifPresent(valid -> assertEquals(Set.of("DRY_RUN"),
                    valid.outcomes(), c.name()));
            c.valid().keySet().forEach(handler -> assertTrue(HostileCorpus.HANDLERS.contains(handler), handler));
        }
        // Most cases are refusals for every handler; the valid ones are few.
        long valid = HostileCorpus.cases().stream().filter(c -> !c.valid().isEmpty()).count();
        assertFalse(valid > HostileCorpus.cases().size() / 5, valid + " valid cases");
    }
}
