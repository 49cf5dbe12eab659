package org.fedlodrop.reports.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyReportTest {
    @TempDir
    Path temp;

    private static final String AXES = "point,planner.solver,training.train_lora,training.arm";

    private Path study(String name, String results, String curves) throws Exception {
        Path directory = temp.resolve(name);
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(StudyReport.RESULTS), results);
        Files.writeString(directory.resolve(StudyReport.CURVES), curves);
        StudyReport.write(directory, name);
        return directory;
    }

    /** JFreeChart's first three series colours, in series order. */
    private static final java.util.List<String> SERIES = java.util.List.of("rgb(255,85,85)", "rgb(85,85,255)",
            "rgb(85,255,85)");

    /** Per series colour, whether each line segment drawn in it is dashed (legend keys and grid left out). */
    private static java.util.Map<String, java.util.List<Boolean>> segments(String svg) {
        java.util.Map<String, java.util.List<Boolean>> found = new java.util.LinkedHashMap<>();
        Matcher line = Pattern.compile("<line [^>]*style='([^']*)'").matcher(svg);
        while (line.find()) {
            Matcher colour = Pattern.compile("stroke:(rgb\\([0-9,]+\\))").matcher(line.group(1));
            if (colour.find() && SERIES.contains(colour.group(1))) {
                found.computeIfAbsent(colour.group(1), key -> new java.util.ArrayList<>())
                        .add(line.group(1).contains("stroke-dasharray"));
            }
        }
        return found;
    }

    @Test
    void referenceArmsAreDashedAndAOneRowFitSpansEveryRound() throws Exception {
        String results = AXES + ",runs,final_test_accuracy_mean,final_test_accuracy_ci95\n"
                + "0,psca,true,federated,2,0.9,0.01\n1,psca,false,federated,2,0.8,0.01\n"
                + "2,psca,true,bag-of-words,2,0.85,0.01\n";
        String curves = AXES + ",round,runs,test_accuracy_mean,test_accuracy_ci95\n"
                + "0,psca,true,federated,0,2,0.6,0.1\n0,psca,true,federated,1,2,0.8,0.1\n0,psca,true,federated,2,2,0.9,0.1\n"
                + "1,psca,false,federated,0,2,0.6,0.1\n1,psca,false,federated,1,2,0.7,0.1\n1,psca,false,federated,2,2,0.8,0.1\n"
                + "2,psca,true,bag-of-words,0,2,0.85,0\n";
        Path directory = study("arms", results, curves);
        String svg = Files.readString(directory.resolve("plots").resolve("round-test_accuracy.svg"), StandardCharsets.UTF_8);
        java.util.Map<String, java.util.List<Boolean>> lines = segments(svg);
        // LoRA under psca solid; the frozen head dashed; the bag-of-words fit, one row, dashed across both segments.
        assertThat(lines.get(SERIES.get(0))).containsExactly(false, false);
        assertThat(lines.get(SERIES.get(1))).containsExactly(true, true);
        assertThat(lines.get(SERIES.get(2))).containsExactly(true, true);
    }

    @Test
    void aStudyWithoutArmsDrawsEveryLineSolid() throws Exception {
        String results = "point,dropout.rate,runs,final_test_accuracy_mean,final_test_accuracy_ci95\n"
                + "0,0.1,2,0.9,0.01\n1,0.5,2,0.8,0.01\n";
        String curves = "point,dropout.rate,round,runs,test_accuracy_mean,test_accuracy_ci95\n"
                + "0,0.1,0,2,0.6,0.1\n0,0.1,1,2,0.8,0.1\n1,0.5,0,2,0.5,0.1\n1,0.5,1,2,0.7,0.1\n";
        Path directory = study("plain", results, curves);
        String svg = Files.readString(directory.resolve("plots").resolve("round-test_accuracy.svg"), StandardCharsets.UTF_8);
        assertThat(segments(svg)).hasSize(2).allSatisfy((colour, dashed) -> assertThat(dashed).containsExactly(false));
    }
}
