package dev.bitweave.quantize.mixed;

import java.util.ArrayList;
import java.util.List;

/**
 * Picks one width per matrix so that the average packed bits per weight meets a target, losing as
 * little as the measured sensitivities predict (their sum, i.e. they are taken as additive).
 *
 * <p>Greedy by marginal cost: start with every matrix at its widest option; while over budget,
 * apply the single change (one matrix to any narrower option) with the smallest sensitivity
 * increase per bit saved. Then, while slack remains, apply the widening that fits the slack and
 * lowers the sensitivity most per bit spent. Ties go to the earlier matrix and the wider option,
 * so the result is deterministic.
 */
public final class BitAllocation {
    /** One width a matrix may take: its packed size and its measured sensitivity there. */
    public record Option(int bits, long packedBits, double kl) {
    }

    /** @param options ascending by bits; a single option means the width is fixed */
    public record Candidates(String tensor, long elements, List<Option> options) {
    }

    public record Choice(String tensor, long elements, Option option) {
    }

    /** @param choices one per matrix, in the order given */
    public record Result(List<Choice> choices, double targetBits) {
        public long packedBits() {
            return choices.stream().mapToLong(c -> c.option().packedBits()).sum();
        }

        public long elements() {
            return choices.stream().mapToLong(Choice::elements).sum();
        }

        public double averageBits() {
            return packedBits() / (double) elements();
        }

        public double predictedKl() {
            return choices.stream().mapToDouble(c -> c.option().kl()).sum();
        }
    }

    private BitAllocation() {
    }

    /**
     * @throws IllegalArgumentException when even the narrowest options exceed the target
     *                                  ({@link #minimumBits} tells by how much)
     */
    public static Result choose(List<Candidates> candidates, double targetBits) {
        int n = candidates.size();
        long elements = candidates.stream().mapToLong(Candidates::elements).sum();
        double budget = targetBits * elements;
        if (minimumBits(candidates) > targetBits) {
            throw new IllegalArgumentException("target " + targetBits + " is below the smallest average, " + minimumBits(candidates));
        }
        int[] at = new int[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            at[i] = candidates.get(i).options().size() - 1;
            total += option(candidates, i, at[i]).packedBits();
        }
        while (total > budget) {
            int bestI = -1;
            int bestJ = -1;
            double bestCost = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                Option cur = option(candidates, i, at[i]);
                for (int j = at[i] - 1; j >= 0; j--) {
                    Option o = option(candidates, i, j);
                    long saved = cur.packedBits() - o.packedBits();
                    if (saved <= 0) continue;
                    double cost = (o.kl() - cur.kl()) / saved;
                    if (cost < bestCost) {
                        bestCost = cost;
                        bestI = i;
                        bestJ = j;
                    }
                }
            }
            total += option(candidates, bestI, bestJ).packedBits() - option(candidates, bestI, at[bestI]).packedBits();
            at[bestI] = bestJ;
        }
        while (true) {
            int bestI = -1;
            int bestJ = -1;
            double bestGain = 0;
            for (int i = 0; i < n; i++) {
                Option cur = option(candidates, i, at[i]);
                for (int j = at[i] + 1; j < candidates.get(i).options().size(); j++) {
                    Option o = option(candidates, i, j);
                    long spent = o.packedBits() - cur.packedBits();
                    if (spent <= 0 || total + spent > budget) continue;
                    double gain = (cur.kl() - o.kl()) / spent;
                    if (gain > bestGain) {
                        bestGain = gain;
                        bestI = i;
                        bestJ = j;
                    }
                }
            }
            if (bestI < 0) break;
            total += option(candidates, bestI, bestJ).packedBits() - option(candidates, bestI, at[bestI]).packedBits();
            at[bestI] = bestJ;
        }
        List<Choice> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Choice(candidates.get(i).tensor(), candidates.get(i).elements(), option(candidates, i, at[i])));
        }
        return new Result(out, targetBits);
    }

    /** Average packed bits per weight with every matrix at its narrowest option. */
    public static double minimumBits(List<Candidates> candidates) {
        long bits = candidates.stream().mapToLong(c -> c.options().get(0).packedBits()).sum();
        return bits / (double) candidates.stream().mapToLong(Candidates::elements).sum();
    }

    private static Option option(List<Candidates> c, int i, int j) {
        return c.get(i).options().get(j);
    }
}
