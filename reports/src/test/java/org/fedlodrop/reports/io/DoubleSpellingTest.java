package org.fedlodrop.reports.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Doubles are spelled as the shortest decimal that reads back as the same value, checked against a
 * reference written from the specification of {@code Double.toString} in JDK 19 and later, with
 * BigDecimal; and run files spell them that way whatever JDK runs the tests.
 */
class DoubleSpellingTest {
    /** Values whose JDK 17 spelling has digits too many (JDK-4511638): 9.999999999999999E22 for 1.0E23. */
    private static final double[] JDK17_TOO_LONG = {1.0E23, 0x1p-44, 2.82879384806159E17, 0x1p-1073};

    @TempDir
    Path directory;

    @JsonPropertyOrder({"round", "value"})
    public record Row(int round, double value) {
    }

    /** Random bit patterns, decimals of every scale, whole numbers, floats widened, and the edges. */
    private static double[] values(int count) {
        SplittableRandom random = new SplittableRandom(19);
        double[] special = {0.0, -0.0, 1.0, 2.0E9, 1.0E7, 9999999.0, 1.0E-3, 9.99E-4, Double.MIN_VALUE,
                Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 2.1307456E7, 0.1 + 0.2, Math.PI,
                0x1p52, 0x1p53, 3 * Double.MIN_VALUE, 1.0E23, 0x1p-44, 2.82879384806159E17, 0x1p-1073};
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = switch (i % 5) {
                case 0 -> i / 5 < special.length ? special[i / 5] : Math.scalb(1.0, random.nextInt(-1074, 1024));
                case 1 -> random.nextInt(1000) * 1e6;
                case 2 -> Double.longBitsToDouble(random.nextLong());
                case 3 -> random.nextDouble() * Math.pow(10, random.nextInt(-12, 12));
                default -> (float) random.nextDouble(); // short as a float, long as a double
            };
            if (!Double.isFinite(values[i])) {
                values[i] = -random.nextDouble();
            }
        }
        return values;
    }

    @Test
    void spellingIsTheShortestDecimalThatReadsBack() {
        for (double value : values(60_000)) {
            assertThat(DoubleSpelling.of(value)).as("bits %x", Double.doubleToRawLongBits(value))
                    .isEqualTo(ShortestDecimal.spell(value));
        }
        assertThat(DoubleSpelling.of(Double.NaN)).isEqualTo("NaN");
        assertThat(DoubleSpelling.of(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
    }

    @Test
    void spellingIsShorterThanJdk17sWhereThatIsTooLong() {
        for (double value : JDK17_TOO_LONG) {
            String ours = DoubleSpelling.of(value);
            assertThat(ours).isEqualTo(ShortestDecimal.spell(value));
            assertThat(Double.parseDouble(ours)).isEqualTo(value);
            if (Runtime.version().feature() < 19) {
                assertThat(Double.toString(value)).isNotEqualTo(ours);
            } else {
                assertThat(Double.toString(value)).isEqualTo(ours);
            }
        }
        assertThat(DoubleSpelling.of(1.0E23)).isEqualTo("1.0E23");
    }

    @Test
    void runFilesSpellDoublesThatWay() throws Exception {
        double[] values = values(20_000);
        Path csv = directory.resolve("rows.csv");
        Path jsonl = directory.resolve("rows.jsonl");
        try (RecordStream<Row> rows = RecordStream.csv(csv, Row.class);
             RecordStream<Row> lines = RecordStream.jsonLines(jsonl)) {
            for (int i = 0; i < values.length; i++) {
                Row row = new Row(i, i % 997 == 1 ? Double.NaN : values[i]);
                rows.append(row);
                lines.append(row);
            }
            rows.commit();
            lines.commit();
        }
        List<String> csvLines = Files.readAllLines(csv);
        List<String> jsonLines = Files.readAllLines(jsonl);
        assertThat(csvLines).hasSize(values.length + 1);
        assertThat(csvLines.get(0)).isEqualTo("round,value");
        assertThat(jsonLines).hasSize(values.length);
        for (int i = 0; i < values.length; i++) {
            String spelled = i % 997 == 1 ? "NaN" : ShortestDecimal.spell(values[i]);
            assertThat(csvLines.get(i + 1)).isEqualTo(i + "," + spelled);
            String json = i % 997 == 1 ? "\"NaN\"" : spelled;
            assertThat(jsonLines.get(i)).isEqualTo("{\"round\":" + i + ",\"value\":" + json + "}");
        }
        String document = RunFormats.jsonDocument().writeValueAsString(new Row(1, 1.0E23));
        assertThat(document).contains("1.0E23");
    }

    /**
     * The reference: Double.toString's specification since JDK 19, step by step with exact decimals. Let
     * R be the decimals that round to v; m the least number of digits among them; T those of R with m
     * digits, or with 1 or 2 digits when m = 1; pick the one of T closest to v, the even one on a tie;
     * then lay it out plainly for 10⁻³ ≤ |v| < 10⁷ and in computerised scientific notation otherwise.
     */
    static final class ShortestDecimal {
        private ShortestDecimal() {
        }

        static String spell(double v) {
            if (v == 0) {
                return 1 / v > 0 ? "0.0" : "-0.0";
            }
            double magnitude = Math.abs(v);
            BigDecimal exact = new BigDecimal(magnitude);
            BigDecimal chosen = null;
            for (int digits = 1; digits <= 17 && chosen == null; digits++) {
                chosen = closestReadingBack(exact, magnitude, digits);
                if (chosen != null && digits == 1) {
                    BigDecimal two = closestReadingBack(exact, magnitude, 2);
                    if (two != null && distance(two, exact).compareTo(distance(chosen, exact)) < 0) {
                        chosen = two;
                    }
                }
            }
            return (v < 0 ? "-" : "") + layOut(chosen.stripTrailingZeros(), magnitude);
        }

        private static BigDecimal distance(BigDecimal a, BigDecimal b) {
            return a.subtract(b).abs();
        }

        /** Of the two decimals with this many digits either side of the exact value, the closer that reads back. */
        private static BigDecimal closestReadingBack(BigDecimal exact, double v, int digits) {
            BigDecimal down = exact.round(new MathContext(digits, RoundingMode.FLOOR));
            BigDecimal up = exact.round(new MathContext(digits, RoundingMode.CEILING));
            boolean downReads = down.doubleValue() == v;
            boolean upReads = up.doubleValue() == v;
            if (downReads && upReads) {
                int order = distance(down, exact).compareTo(distance(up, exact));
                if (order != 0) {
                    return order < 0 ? down : up;
                }
                return down.unscaledValue().testBit(0) ? up : down;
            }
            return downReads ? down : upReads ? up : null;
        }

        private static String layOut(BigDecimal d, double magnitude) {
            if (magnitude >= 1e-3 && magnitude < 1e7) {
                String plain = d.toPlainString();
                return plain.contains(".") ? plain : plain + ".0";
            }
            String digits = d.unscaledValue().toString();
            int exponent = digits.length() - 1 - d.scale();
            String fraction = digits.length() > 1 ? digits.substring(1) : "0";
            return digits.charAt(0) + "." + fraction + "E" + exponent;
        }
    }
}
