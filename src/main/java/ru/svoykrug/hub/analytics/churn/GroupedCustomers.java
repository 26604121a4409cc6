package ru.svoykrug.hub.analytics.churn;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Customers grouped by identical (x, t_x, T): with daily or weekly time the same triples recur a lot, so a
 * likelihood evaluated per group and weighted by the group's size costs the number of distinct triples, not
 * of customers. Groups are sorted, so sums run in one order whatever the input order: fits are deterministic.
 *
 * <p>Each group also points into the sorted distinct values of x, t_x and T, so that the models can compute
 * terms that depend on one of them only once per distinct value.
 */
public final class GroupedCustomers {

    private final int[] x;
    private final double[] tx;
    private final double[] bigT;
    private final double[] count;
    private final int customers;

    private final int[] xLevels;
    private final double[] txLevels;
    private final double[] tLevels;
    private final int[] xIndex;
    private final int[] txIndex;
    private final int[] tIndex;

    private record Key(int x, double tx, double T) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Integer.compare(x, o.x);
            if (c == 0) {
                c = Double.compare(tx, o.tx);
            }
            return c != 0 ? c : Double.compare(T, o.T);
        }
    }

    private GroupedCustomers(Key[] keys, double[] count, int customers) {
        int n = keys.length;
        this.x = new int[n];
        this.tx = new double[n];
        this.bigT = new double[n];
        this.count = count;
        this.customers = customers;
        for (int i = 0; i < n; i++) {
            x[i] = keys[i].x();
            tx[i] = keys[i].tx();
            bigT[i] = keys[i].T();
        }
        this.xLevels = Arrays.stream(x).distinct().sorted().toArray();
        this.txLevels = Arrays.stream(tx).distinct().sorted().toArray();
        this.tLevels = Arrays.stream(bigT).distinct().sorted().toArray();
        this.xIndex = new int[n];
        this.txIndex = new int[n];
        this.tIndex = new int[n];
        for (int i = 0; i < n; i++) {
            xIndex[i] = Arrays.binarySearch(xLevels, x[i]);
            txIndex[i] = Arrays.binarySearch(txLevels, tx[i]);
            tIndex[i] = Arrays.binarySearch(tLevels, bigT[i]);
        }
    }

    /** Groups customer summaries by their (x, t_x, T). */
    public static GroupedCustomers of(Collection<CustomerSummary> customers) {
        Map<Key, int[]> counts = new HashMap<>();
        for (CustomerSummary c : customers) {
            counts.computeIfAbsent(new Key(c.x(), c.tx(), c.T()), k -> new int[1])[0]++;
        }
        return fromCounts(counts, customers.size());
    }

    /**
     * Groups customers given as parallel arrays (for callers that stream summaries from a database and do not
     * want a million objects). Each triple is checked like a {@link CustomerSummary}.
     */
    public static GroupedCustomers of(int[] x, double[] tx, double[] T) {
        if (x.length != tx.length || x.length != T.length) {
            throw new IllegalArgumentException("x, tx and T must have the same length");
        }
        Map<Key, int[]> counts = new HashMap<>();
        for (int i = 0; i < x.length; i++) {
            CustomerSummary.checkTriple(x[i], tx[i], T[i]);
            counts.computeIfAbsent(new Key(x[i], tx[i], T[i]), k -> new int[1])[0]++;
        }
        return fromCounts(counts, x.length);
    }

    /**
     * Every n-th customer in the groups' sorted order (the first of each run of n): an evenly spread subset
     * of about customers / n, for a quick first search on a large sample.
     */
    GroupedCustomers everyNth(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be positive, was " + n);
        }
        Map<Key, int[]> counts = new HashMap<>();
        long seen = 0;
        int kept = 0;
        for (int g = 0; g < groups(); g++) {
            long before = seen;
            seen += (long) count[g];
            // customers before..seen-1 are in this group; those with index divisible by n are kept
            long taken = (seen + n - 1) / n - (before + n - 1) / n;
            if (taken > 0) {
                counts.put(new Key(x[g], tx[g], bigT[g]), new int[] {(int) taken});
                kept += (int) taken;
            }
        }
        return fromCounts(counts, kept);
    }

    private static GroupedCustomers fromCounts(Map<Key, int[]> counts, int customers) {
        if (customers == 0) {
            throw new IllegalArgumentException("no customers");
        }
        Key[] keys = counts.keySet().toArray(new Key[0]);
        Arrays.sort(keys);
        double[] weights = new double[keys.length];
        for (int i = 0; i < keys.length; i++) {
            weights[i] = counts.get(keys[i])[0];
        }
        return new GroupedCustomers(keys, weights, customers);
    }

    /** Number of customers. */
    public int customers() {
        return customers;
    }

    /** Number of distinct (x, t_x, T) triples. */
    public int groups() {
        return x.length;
    }

    int x(int group) {
        return x[group];
    }

    double tx(int group) {
        return tx[group];
    }

    double T(int group) {
        return bigT[group];
    }

    double count(int group) {
        return count[group];
    }

    int[] xLevels() {
        return xLevels;
    }

    double[] txLevels() {
        return txLevels;
    }

    double[] tLevels() {
        return tLevels;
    }

    int xIndex(int group) {
        return xIndex[group];
    }

    int txIndex(int group) {
        return txIndex[group];
    }

    int tIndex(int group) {
        return tIndex[group];
    }
}
