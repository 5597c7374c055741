package dev.regionfailover.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfOddAndEvenSamples() {
        assertEquals(3, new Stats(List.of(5, 1, 3)).median());
        assertEquals(2.5, new Stats(List.of(4, 1, 3, 2)).median());
    }

    @Test
    void nearestRankPercentiles() {
        Stats hundred = new Stats(IntStream.rangeClosed(1, 100).boxed().toList());
        assertEquals(50, hundred.percentile(50));
        assertEquals(99, hundred.percentile(99));
        assertEquals(100, hundred.percentile(100));
        assertEquals(1, hundred.min());
        Stats three = new Stats(List.of(10, 20, 30));
        assertEquals(30, three.percentile(99));
        assertEquals(20, three.percentile(50));
    }

    @Test
    void timelineIsWellFormedSvgWithOneBarPerStep() {
        String svg = TimelineSvg.render("t <&>", "s", List.of(
                new TimelineSvg.Step("ACQUIRE_LEASE", "DONE", 0, 34, "lease"),
                new TimelineSvg.Step("AWAIT_WRITER", "DONE", 190, 3113, "writer \"x\""),
                new TimelineSvg.Step("NOTIFY", "FAILED", 3490, 297, "sns")), "footer");
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assertTrue(svg.contains("t &lt;&amp;&gt;"));
        assertEquals(3, svg.split("<rect x=", -1).length - 1);
        assertTrue(svg.contains("3113 ms"));
        assertTrue(svg.contains("4 s"), "the axis reaches past the last step's end");
    }
}
