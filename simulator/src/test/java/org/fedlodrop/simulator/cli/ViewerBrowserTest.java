package org.fedlodrop.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fedlodrop.reports.io.RunFiles;
import org.fedlodrop.reports.io.RunTables;
import org.fedlodrop.reports.records.DeviceRoundRecord;
import org.fedlodrop.reports.records.EventRecord;
import org.fedlodrop.reports.records.EventType;
import org.fedlodrop.reports.records.RoundRecord;
import org.fedlodrop.reports.viewer.ViewServer;
import org.fedlodrop.simulator.TestScenarios;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The replay viewer in headless Chromium (Debian's chromium and chromium-driver, which .ci/run
 * installs): the map shows every device, scrubbing to a round moves the timeline and the chart to
 * it with the times of events.jsonl, a click shows a device's details; a screenshot is kept in
 * target/viewer-screenshot.png.
 */
class ViewerBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path temp;

    /** Runs the quickstart with {@code --set} overrides into a new directory, once Chromium is known to be there. */
    private Path run(String name, String... overrides) {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "needs Debian's chromium and chromium-driver (installed by .ci/run)");
        Path run = temp.resolve(name);
        List<String> args = new java.util.ArrayList<>(List.of("run", TestScenarios.quickstart().toString(), "--out",
                run.toString(), "-q"));
        for (String override : overrides) {
            args.addAll(List.of("--set", override));
        }
        assertThat(CliRunner.execute(args.toArray(String[]::new)).exitCode()).isZero();
        return run;
    }

    @Test
    void mapTimelineChartsAndDetailsFollowTheRun() throws Exception {
        Path run = run("run", "rounds=4");
        List<RoundRecord> rounds = RunTables.readCsv(run.resolve(RunFiles.ROUNDS), RoundRecord.class);
        List<DeviceRoundRecord> devices = RunTables.readCsv(run.resolve(RunFiles.DEVICES), DeviceRoundRecord.class);
        List<EventRecord> events = RunTables.readJsonLines(run.resolve(RunFiles.EVENTS), EventRecord.class);

        ChromeDriver browser = browser();
        try (ViewServer server = ViewServer.start(run, 0)) {
            browser.get(server.url());
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));

            assertThat(browser.findElements(By.cssSelector("#map circle.device"))).hasSize(10);
            assertThat(browser.findElements(By.cssSelector("#map rect.cell"))).hasSize(1);

            RoundRecord third = rounds.get(2);
            WebElement scrubber = browser.findElement(By.id("scrubber"));
            ((JavascriptExecutor) browser).executeScript(
                    "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));",
                    scrubber, third.startS() + 1.0);
            wait.until(d -> d.findElement(By.id("round-label")).getText().equals("round 2"));
            assertThat(browser.findElement(By.id("chart-cursor")).getAttribute("data-round")).isEqualTo("2");
            List<WebElement> downloads = browser.findElements(By.cssSelector("#timeline rect[data-stage='download']"));
            assertThat(downloads).hasSize(10);
            int compared = 0;
            for (WebElement bar : downloads) {
                int device = Integer.parseInt(bar.getAttribute("data-device"));
                EventRecord end = events.stream().filter(e -> e.type() == EventType.DOWNLOAD_END && e.round() == 2
                        && e.device() != null && e.device() == device).findFirst().orElse(null);
                if (end != null) {
                    assertThat(Double.parseDouble(bar.getAttribute("data-end-s"))).isCloseTo(end.timeNs() / 1e9, within(1e-6));
                    compared++;
                }
            }
            assertThat(compared).isGreaterThan(5);
            for (DeviceRoundRecord row : devices.stream().filter(d -> d.round() == 2).toList()) {
                String classes = browser.findElement(By.cssSelector("#map circle[data-device='" + row.device() + "']"))
                        .getAttribute("class");
                assertThat(classes.contains("missed")).isEqualTo(!row.outcome().label().equals("aggregated"));
            }

            // γ next to every device, a scale bar, and a panel with its own axis per metric.
            for (DeviceRoundRecord row : devices.stream().filter(d -> d.round() == 2).toList()) {
                String label = browser.findElement(By.cssSelector("#map text.gamma-label[data-device='" + row.device() + "']"))
                        .getText();
                assertThat(label).isEqualTo(row.outcome().label().equals("unserved") ? "–"
                        : String.format(java.util.Locale.ROOT, "%.2f", row.gamma()));
            }
            assertThat(browser.findElements(By.cssSelector("#timeline text.timeline-gamma"))).hasSize(10)
                    .allSatisfy(label -> assertThat(label.getText()).matches("γ \\d\\.\\d\\d|unserved"));
            assertThat(Double.parseDouble(browser.findElement(By.id("map-scale")).getAttribute("data-metres"))).isPositive();
            List<WebElement> panels = browser.findElements(By.cssSelector("#chart g.panel"));
            assertThat(panels).extracting(p -> p.getAttribute("data-series")).contains("latency_s", "devices_aggregated");
            for (WebElement panel : panels) {
                List<WebElement> ticks = panel.findElements(By.cssSelector("text.axis-tick"));
                assertThat(ticks).as(panel.getAttribute("data-series")).isNotEmpty();
            }
            WebElement latencyPanel = browser.findElement(By.cssSelector("#chart g.panel[data-series='latency_s']"));
            double highest = rounds.stream().mapToDouble(RoundRecord::latencyS).max().orElseThrow();
            assertThat(latencyPanel.findElements(By.cssSelector("text.axis-tick"))).extracting(t -> Double.parseDouble(
                    t.getAttribute("data-value"))).contains(highest);
            assertThat(browser.findElements(By.cssSelector("#chart text.round-tick"))).hasSize(4);

            browser.findElement(By.cssSelector("#map circle[data-device='3']")).click();
            wait.until(d -> "3".equals(d.findElement(By.id("details")).getAttribute("data-device")));
            DeviceRoundRecord three = devices.stream().filter(d -> d.round() == 2 && d.device() == 3).findFirst().orElseThrow();
            assertThat(Double.parseDouble(browser.findElement(By.cssSelector("#details td[data-field='gamma']")).getText()))
                    .isEqualTo(three.gamma());
            assertThat(browser.findElement(By.cssSelector("#details td[data-field='outcome']")).getText())
                    .isEqualTo(three.outcome().label());

            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target", "viewer-screenshot.png"), browser.getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.quit();
        }
    }

    private ChromeDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1300,950", "--user-data-dir=" + temp.resolve("chrome"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** A heterogeneous fleet: each class its own marker shape, named with its count in the legend; offline devices apart. */
    @Test
    void classesHaveTheirShapesAndTheLegendNamesClassesAndOutcomes() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "needs Debian's chromium and chromium-driver (installed by .ci/run)");
        Path run = temp.resolve("fleet");
        assertThat(CliRunner.execute("run", TestScenarios.file("fleet.yaml").toString(), "--out", run.toString(), "-q",
                "--set", "rounds=6", "--set", "data.workload=none").exitCode()).isZero();
        List<DeviceRoundRecord> devices = RunTables.readCsv(run.resolve(RunFiles.DEVICES), DeviceRoundRecord.class);
        // The first round with a device offline, so that every outcome class can be checked.
        int round = devices.stream().filter(d -> d.outcome().label().equals("offline")).mapToInt(DeviceRoundRecord::round)
                .min().orElseThrow(() -> new AssertionError("fleet.yaml's phones go offline within 6 rounds"));
        ChromeDriver browser = browser();
        try (ViewServer server = ViewServer.start(run, 0)) {
            browser.get(server.url());
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
            double start = RunTables.readCsv(run.resolve(RunFiles.ROUNDS), RoundRecord.class).get(round).startS();
            ((JavascriptExecutor) browser).executeScript("setTime(arguments[0])", start + 1e-3);
            wait.until(d -> d.findElement(By.id("round-label")).getText().equals("round " + round));
            // Classes in name order take circle, diamond, triangle: iot, laptop, phone.
            java.util.Map<String, String> shapes = java.util.Map.of("iot", "circle", "laptop", "path", "phone", "path");
            java.util.Set<String> paths = new java.util.HashSet<>();
            for (DeviceRoundRecord row : devices.stream().filter(d -> d.round() == round).toList()) {
                WebElement marker = browser.findElement(By.cssSelector("#map .device[data-device='" + row.device() + "']"));
                assertThat(marker.getAttribute("data-class")).isEqualTo(row.deviceClass());
                assertThat(marker.getTagName()).as(row.deviceClass()).isEqualTo(shapes.get(row.deviceClass()));
                if (marker.getTagName().equals("path")) {
                    paths.add(row.deviceClass() + " " + marker.getAttribute("d").split("L").length);
                }
                boolean offline = row.outcome().label().equals("offline");
                assertThat(marker.getAttribute("class").contains("offline")).as("device " + row.device()).isEqualTo(offline);
                String label = browser.findElement(By.cssSelector("#map text.gamma-label[data-device='" + row.device() + "']"))
                        .getText();
                if (offline) {
                    assertThat(label).isEqualTo("off");
                }
            }
            // A diamond has four corners, a triangle three.
            assertThat(paths).contains("laptop 4", "phone 3");
            List<WebElement> classes = browser.findElements(By.cssSelector("#map-legend .legend-class"));
            assertThat(classes).extracting(c -> c.getAttribute("data-class")).containsExactly("iot", "laptop", "phone");
            long phones = devices.stream().filter(d -> d.round() == round && d.deviceClass().equals("phone")).count();
            assertThat(browser.findElement(By.cssSelector("#map-legend .legend-class[data-class='phone']")).getText())
                    .isEqualTo("phone (" + phones + ")");
            assertThat(browser.findElements(By.cssSelector("#map-legend .legend-outcome")))
                    .extracting(o -> o.getAttribute("data-outcome")).containsExactly("aggregated", "missed", "unserved", "offline");
            assertThat(browser.findElements(By.cssSelector("#timeline text.timeline-gamma")))
                    .extracting(WebElement::getText).contains("offline");
            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target", "viewer-fleet-screenshot.png"), browser.getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.quit();
        }
    }

    @Test
    void devicesLeftOutByThePlannerAreShownApartFromMissesAndRefusals() throws Exception {
        Path run = run("crowded", "rounds=1", "devices.count=20", "network.bandwidth_hz=4e6", "planner.solver=psca");
        List<DeviceRoundRecord> devices = RunTables.readCsv(run.resolve(RunFiles.DEVICES), DeviceRoundRecord.class);
        long unserved = devices.stream().filter(d -> d.outcome().label().equals("unserved")).count();
        assertThat(unserved).as("the band must be too short for some devices").isPositive().isLessThan(20);
        ChromeDriver browser = browser();
        try (ViewServer server = ViewServer.start(run, 0)) {
            browser.get(server.url());
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
            for (DeviceRoundRecord row : devices) {
                String classes = browser.findElement(By.cssSelector("#map circle[data-device='" + row.device() + "']"))
                        .getAttribute("class");
                boolean isUnserved = row.outcome().label().equals("unserved");
                assertThat(classes.contains("unserved")).as("device " + row.device()).isEqualTo(isUnserved);
                assertThat(classes.contains("missed")).as("device " + row.device())
                        .isEqualTo(!isUnserved && !row.outcome().label().equals("aggregated"));
            }
            assertThat(browser.findElements(By.cssSelector("#map circle.device.unserved"))).hasSize((int) unserved);
        } finally {
            browser.quit();
        }
    }

    /** A run with a backhaul (docs/hierarchy.md): the map draws its links and the cloud and router above the cells. */
    @Test
    void theBackhaulsLinksAndNodesAreOnTheMap() throws Exception {
        Path run = run("backhaul", "rounds=2", "topology.cells=[{x_m: 0, y_m: 0}, {x_m: 400, y_m: 0}, {x_m: 800, y_m: 0}]",
                "topology.backhaul={cloud_every: 1, links: [{from: cell-0, to: router}, {from: cell-1, to: router}, "
                        + "{from: router, to: cloud}, {from: cell-2, to: cloud}]}");
        ChromeDriver browser = browser();
        try (ViewServer server = ViewServer.start(run, 0)) {
            browser.get(server.url());
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
            assertThat(browser.findElements(By.cssSelector("#map line.backhaul-link"))).hasSize(4);
            assertThat(browser.findElements(By.cssSelector("#map circle.backhaul-node")))
                    .extracting(e -> e.getAttribute("data-node")).containsExactlyInAnyOrder("router", "cloud");
            // The cloud is drawn above the cells (smaller y on screen), the router between its two cells.
            double cloudY = Double.parseDouble(browser.findElement(By.cssSelector("#map circle[data-node='cloud']"))
                    .getAttribute("cy"));
            double cellY = Double.parseDouble(browser.findElement(By.cssSelector("#map rect.cell")).getAttribute("y"));
            assertThat(cloudY).isLessThan(cellY);
        } finally {
            browser.quit();
        }
    }

    /** A buffered run (docs/buffered.md): a step's timeline shows the jobs that ended in it, each from its own start. */
    @Test
    void aBufferedStepShowsItsJobsFromTheirStarts() throws Exception {
        Path run = run("buffered", "rounds=4", "dropout.aggregation=masked-mean",
                "federation={mode: buffered, buffer_size: 3, concurrency: 6}");
        List<String[]> jobs = Files.readAllLines(run.resolve(RunFiles.DEVICES)).stream().skip(1).map(l -> l.split(","))
                .filter(j -> j[28].equals("2")).toList();
        assertThat(jobs).isNotEmpty();
        ChromeDriver browser = browser();
        try (ViewServer server = ViewServer.start(run, 0)) {
            browser.get(server.url());
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
            List<RoundRecord> rounds = RunTables.readCsv(run.resolve(RunFiles.ROUNDS), RoundRecord.class);
            WebElement scrubber = browser.findElement(By.id("scrubber"));
            ((JavascriptExecutor) browser).executeScript(
                    "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));",
                    scrubber, rounds.get(2).startS() + 1e-3);
            wait.until(d -> d.findElement(By.id("round-label")).getText().equals("round 2"));
            List<WebElement> downloads = browser.findElements(By.cssSelector("#timeline rect[data-stage='download']"));
            assertThat(downloads).hasSize(jobs.size());
            for (int i = 0; i < jobs.size(); i++) {
                assertThat(Double.parseDouble(downloads.get(i).getAttribute("data-start-s")))
                        .isCloseTo(Double.parseDouble(jobs.get(i)[30]), within(1e-6));
            }
        } finally {
            browser.quit();
        }
    }
}
