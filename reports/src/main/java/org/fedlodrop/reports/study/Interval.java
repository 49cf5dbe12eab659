package org.fedlodrop.reports.study;

/**
 * A metric over a study point's seeds: its mean and the half-width of its 95 % Student-t interval
 * (NaN for fewer than two runs).
 */
public record Interval(double mean, double ci95) {
}
