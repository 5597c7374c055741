package dev.regionfailover.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Order statistics of a sample: median, minimum, maximum and nearest-rank percentiles. */
public final class Stats {

    private final List<Double> sorted;

    public Stats(Collection<? extends Number> values) {
        List<Double> copy = new ArrayList<>();
        values.forEach(value -> copy.add(value.doubleValue()));
        Collections.sort(copy);
        this.sorted = List.copyOf(copy);
    }

    public int count() {
        return sorted.size();
    }

    public boolean isEmpty() {
        return sorted.isEmpty();
    }

    public double min() {
        return sorted.get(0);
    }

    public double max() {
        return sorted.get(sorted.size() - 1);
    }

    /** The middle value, or the mean of the two middle values of an even-sized sample. */
    public double median() {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Nearest-rank percentile: the smallest value with at least {@code p} percent of the sample at or below it. */
    public double percentile(double p) {
        if (p <= 0) {
            return min();
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.min(sorted.size(), Math.max(1, rank)) - 1);
    }
}
